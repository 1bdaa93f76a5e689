// xe_pagemap_destroy_work() (drivers/gpu/drm/xe/xe_svm.c of a 7.0-based tree, pongo1231/linux
// 6f49c541d9c21af7ee64f46dd461e2b4e8d4e3fd), queued on xe->destroy_wq by xe_pagemap_destroy() when
// drm_pagemap_destroy() is called from atomic or reclaim context: the dev_pagemap is unmapped if the
// device's devres has not yet done it (drm_dev_enter; not modelled: the model keeps the device's
// pages), the interconnect owner released, and the xe_pagemap (with its drm_pagemap) freed.
//
// Context: a kworker; no lock. Returns 0.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { xePagemapFree } from './drmPagemap.js';
import { pagemapById, xeState } from './xeState.js';

export const xePagemapDestroyWork: DriverProc<{ id: number }, 0> = defineDriverProc<{ id: number }, 0>(
  'xe_pagemap_destroy_work',
  {
    start(env, l) {
      const st = xeState(env.s);
      const p = pagemapById(st, l.id);
      if (p) xePagemapFree(env, st, p);
      return xePagemapDestroyWork.ret(0);
    },
  },
);
