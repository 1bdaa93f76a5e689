// xe whose file release closes the process's VMs without putting the drm_pagemap references
// xe_svm_init() took (xe_svm_close without xe_svm_put_pagemaps): the invalidate callback's 'file'
// step replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { ret } from '../../model/proc.js';
import { xe } from '../xe.js';
import type { XeInvalidateArgs } from '../xe/drmGpusvmNotifierInvalidate.js';
import { xeFileRelease } from '../xe/xeSvmInit.js';
import { xeState } from '../xe/xeState.js';

export const xeFileReleaseKeepsPagemaps: Driver = defineDriver(
  withSteps<XeInvalidateArgs>(
    xe,
    'invalidate',
    {
      file(env, l) {
        if (l.event === 'release') {
          // The bug: the VMs go without xe_svm_put_pagemaps().
          const st = xeState(env.s);
          st.vms = st.vms.filter((v) => v.pid !== l.pid);
          xeFileRelease(env, l.pid);
        }
        return ret(true);
      },
    },
    {
      name: 'xe-file-release-keeps-pagemaps',
      summary: "xe whose VM close does not put the references its VMs hold on their devices' drm_pagemaps",
      broken: {
        bug: "each fault-mode VM holds a counted reference on its tile's drm_pagemap from xe_svm_init(); closing the VM without putting it leaves the pagemap with references nobody holds: once the process is gone it is never released to its cache or shrunk",
        fix: 'xe_svm.c xe_pagemap_create() kernel-doc ("On successful return, drm_pagemap_put() on the embedded struct drm_pagemap should be used to unreference") and drm_pagemap_get_from_cache() ("Return: A reference-counted pointer"): xe_svm_close() -> xe_svm_put_pagemaps()',
        expects: 'refcount',
        layer: 'multi-gpu',
        scenario: [
          "a GPU fault opens the process's VM on a device: the VM takes a reference on the device's drm_pagemap",
          'the process exits: its file and VMs are closed, the reference is never put',
        ],
      },
    },
  ),
);
