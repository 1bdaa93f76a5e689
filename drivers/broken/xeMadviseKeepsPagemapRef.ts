// xe whose madvise replaces a preferred location without putting the drm_pagemap reference the old
// one held: xeMadvise's 'apply' step replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { count, goto } from '../../model/proc.js';
import { xe } from '../xe.js';
import { drmPagemapGet, drmPagemapPut } from '../xe/drmPagemap.js';
import type { XeMadviseLocals } from '../xe/xeMadvise.js';
import { xeState } from '../xe/xeState.js';

export const xeMadviseKeepsPagemapRef: Driver = defineDriver(
  withSteps<XeMadviseLocals>(
    xe,
    'set_attr',
    {
      apply(env, l) {
        const st = xeState(env.s);
        const pref = (st.pref[l.pid] ??= []);
        const held = (st.prefDp[l.pid] ??= []);
        for (let v = l.start; v < l.end; v++) {
          if (l.dp >= 0) drmPagemapGet(env, l.dp);
          // The bug: the attribute replaced, its drm_pagemap reference dropped on the floor.
          held[v] = l.dp;
          pref[v] = l.loc;
        }
        if (l.dp >= 0) drmPagemapPut(env, l.dp);
        count(env, 'xe: madvise preferred location');
        l.gpu = 0;
        return goto('vm');
      },
    },
    {
      name: 'xe-madvise-keeps-pagemap-ref',
      summary:
        'xe whose madvise replaces a preferred device without putting the drm_pagemap reference it held',
      broken: {
        bug: "a preferred location naming a device holds a counted reference on that device's drm_pagemap; replacing it forgets to put that reference, so the pagemap keeps a reference no holder will put: it is never released to its cache, never shrunk, and outlives its last user",
        fix: 'xe_svm.c xe_drm_pagemap_from_fd() kernel-doc ("Return: A reference-counted struct drm_pagemap pointer") and drm_pagemap_init() ("After successful return, use drm_pagemap_put() to destroy"): the attribute owning the reference puts it when it is replaced or destroyed',
        expects: 'refcount',
        layer: 'multi-gpu',
        scenario: [
          "madvise makes a range prefer a device's memory: each page's attribute takes a reference on that device's drm_pagemap",
          'madvise makes it prefer system memory: the old references are not put, the pagemap counts references nobody holds',
        ],
      },
    },
  ),
);
