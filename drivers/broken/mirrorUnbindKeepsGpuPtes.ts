// A mirror whose remove path migrates its device memory back but leaves the GPU's page tables in
// place: after unbind the device still translates addresses of the processes it mirrored, so a
// device that is still powered (unbind is not removal) can DMA into system pages those processes
// free and the kernel reuses. A DRM driver's remove path tears the GPU VM down before the device
// goes (drm_dev_unplug(), then the VM and its page tables are destroyed: drm_gpusvm_fini() unmaps
// every range, "DOC: Overview" of drivers/gpu/drm/drm_gpusvm.c); this variant evicts and stops:
// the mirror's unbind (drivers/common/unbindDevmem.ts) with its 'evicted' step replaced.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { devmemInUse } from '../../model/kernel/deviceUnbind.js';
import { reschedTo, ret } from '../../model/proc.js';
import { mirror } from '../mirror.js';

export const mirrorUnbindKeepsGpuPtes: Driver = defineDriver({
  ...withSteps<{ gpu: number }>(
    mirror,
    'unbind',
    {
      evicted(env, l) {
        if (devmemInUse(env.s, l.gpu).length > 0) return reschedTo('start');
        // The GPU page tables are left as they are.
        return ret(0);
      },
    },
    {
      name: 'mirror-unbind-keeps-gpu-ptes',
      summary: 'mirror whose unbind evicts its device memory but leaves the GPU page tables translating',
      broken: {
        bug: 'after driver unbind the GPU still has PTEs for the processes it mirrored: DMA into pages they free',
        fix: 'tear the GPU VM down in the remove path (drm_gpusvm_fini / zap every GPU mapping) before memunmap_pages()',
        expects: 'teardown',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU faults a page in and maps it; the driver is unbound from that GPU',
          'device memory is migrated back, but the GPU page table still translates the address',
        ],
      },
    },
  ),
  suite: 'multi-gpu',
});
