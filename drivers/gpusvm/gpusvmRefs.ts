// drm_gpusvm's pointers between objects in the gpusvm driver, for the KASAN-style
// driver-object-lifetime invariant (Driver.refs): the registered interval notifiers it inserted
// (tag -1), its drm_gpusvm_notifiers, its ranges and the garbage collector's list, as
// drivers/common/drmGpusvmRefs.ts lists them from drm_gpusvm.c.
import type { DriverRef } from '../../model/driver.js';
import type { State } from '../../model/types.js';
import { driverStateView } from '../../model/touched.js';
import { drmGpusvmRefs } from '../common/drmGpusvmRefs.js';
import type { GpusvmState } from './gpusvmState.js';

/** Every pointer drm_gpusvm's registrations, ranges and collector list hold to its objects. */
export function gpusvmRefs(s: State): DriverRef[] {
  const st = driverStateView<GpusvmState>(s);
  return drmGpusvmRefs({
    registered: s.notifiers.filter((n) => n.alive && n.tag === -1).map((n) => n.id),
    notifiers: st.notifiers.map((n) => n.nid),
    ranges: st.ranges,
    gc: st.gc,
  });
}
