// drm_gpusvm's pointers between objects, for the KASAN-style driver-object-lifetime invariant
// (Driver.refs), as drm_gpusvm.c holds them (drm_gpusvm.h: struct drm_gpusvm_notifier,
// struct drm_gpusvm_range):
// - a registered mmu_interval_notifier is embedded in its struct drm_gpusvm_notifier
//   (notifier->notifier): drm_gpusvm_notifier_invalidate() does container_of() to it, so a
//   gpusvm notifier freed before mmu_interval_notifier_remove() is touched at the next
//   invalidation of its interval;
// - each range points to the notifier that holds it (range->notifier): the invalidation walks the
//   notifier's ranges and a range's removal unlinks it from its notifier, so a notifier freed while
//   ranges remain (drm_gpusvm_range_remove() frees it only once its range tree is empty) is
//   reached through freed memory;
// - the driver's garbage-collector list to its ranges (xe_svm_garbage_collector_add_range):
//   the collector pops and removes each, so a range freed while queued is touched by it.
import type { DriverRef } from '../../model/driver.js';
import type { State } from '../../model/types.js';
import { driverStateView } from '../../model/touched.js';
import type { GpusvmState } from './gpusvmState.js';

const notifierName = (nid: number): string => `drm_gpusvm_notifier ${nid}`;
const rangeName = (id: number): string => `drm_gpusvm_range ${id}`;

/** Every pointer drm_gpusvm's registrations, ranges and collector list hold to its objects. */
export function gpusvmRefs(s: State): DriverRef[] {
  const st = driverStateView<GpusvmState>(s);
  const notifiers = new Set(st.notifiers.map((n) => n.nid));
  const ranges = new Set(st.ranges.map((r) => r.id));
  const out: DriverRef[] = [];
  for (const n of s.notifiers)
    if (n.alive && n.tag === -1)
      out.push({
        holder: `mmu_interval_notifier ${n.id}`,
        target: notifierName(n.id),
        live: notifiers.has(n.id),
      });
  for (const r of st.ranges)
    out.push({
      holder: `${rangeName(r.id)} (range->notifier)`,
      target: notifierName(r.nid),
      live: notifiers.has(r.nid),
    });
  for (const id of st.gc)
    out.push({ holder: 'the garbage collector list', target: rangeName(id), live: ranges.has(id) });
  return out;
}
