// xe whose drm_pagemap_zdd_alloc() stores the zdd's drm_pagemap without taking a reference on it:
// drm_pagemap_migrate_to_devmem's 'zdd_alloc' step replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { xe } from '../xe.js';
import { newZdd, type XeMigrateToDevmemLocals } from '../xe/drmPagemapMigrateToDevmem.js';
import { xeState } from '../xe/xeState.js';

export const xeZddWithoutPagemapRef: Driver = defineDriver(
  withSteps<XeMigrateToDevmemLocals>(
    xe,
    'drm_pagemap_migrate_to_devmem',
    {
      zdd_alloc(env, l) {
        const st = xeState(env.s);
        l.zdd = st.next++;
        // The bug: zdd->dpagemap = dpagemap, without drm_pagemap_get().
        st.devmem.push(newZdd(l));
        return goto('setup_vma');
      },
    },
    {
      name: 'xe-zdd-without-pagemap-ref',
      summary: 'xe whose zdd points at its drm_pagemap without holding a reference on it',
      broken: {
        bug: "each zdd keeps a pointer to the drm_pagemap its pages come from but no reference, while drm_pagemap_zdd_destroy() still puts one: the pagemap's kref counts fewer references than its holders, and it is released to the shrinker (or destroyed after unplug) while zdds and device pages still use it",
        fix: 'drm_pagemap.c struct drm_pagemap_zdd kernel-doc: "@dpagemap: Refcounted pointer to the underlying struct drm_pagemap"; drm_pagemap_zdd_alloc() sets zdd->dpagemap = drm_pagemap_get(dpagemap), drm_pagemap_zdd_destroy() puts it',
        expects: 'refcount',
        layer: 'vram-bo',
        scenario: [
          'a GPU fault migrates a range to its device: the zdd of the new allocation points at the device drm_pagemap without a reference',
          "the pagemap's kref counts the VM's reference only; when the pages are freed the zdd puts one it never took",
        ],
      },
    },
  ),
);
