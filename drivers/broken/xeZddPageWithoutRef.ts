// xe whose drm_pagemap_migrate_to_devmem() points each new device page's zone_device_data at the
// zdd without taking a reference for it: its 'get_devmem_pages' step replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { migrationById } from '../../model/kernel/migrate.js';
import { goto } from '../../model/proc.js';
import { PAGES, mut } from '../../model/touched.js';
import { xe } from '../xe.js';
import type { XeMigrateToDevmemLocals } from '../xe/drmPagemapMigrateToDevmem.js';

export const xeZddPageWithoutRef: Driver = defineDriver(
  withSteps<XeMigrateToDevmemLocals>(
    xe,
    'drm_pagemap_migrate_to_devmem',
    {
      get_devmem_pages(env, l) {
        const s = env.s;
        for (const dst of migrationById(s, l.mig).dst) {
          const d = dst >= 0 ? s.phys[dst] : undefined;
          // The bug: zone_device_data = zdd without drm_pagemap_zdd_get().
          if (d) mut(PAGES, d).zdd = l.zdd;
        }
        return goto('copy');
      },
    },
    {
      name: 'xe-zdd-page-without-ref',
      summary: 'xe whose device pages point at their zdd without holding a reference on it',
      broken: {
        bug: 'the zdd (and the device allocation it owns) is destroyed when the migration puts its own reference, while device pages still point at it: the next CPU fault or page free uses a freed zdd',
        fix: 'drm_pagemap.c struct drm_pagemap_zdd refcount contract: drm_pagemap_get_devmem_page() sets page->zone_device_data = drm_pagemap_zdd_get(zdd); drm_pagemap_folio_free() puts it',
        expects: 'memory-safety',
        layer: 'vram-bo',
        scenario: [
          'a GPU fault migrates a range to VRAM; its pages get the zdd without a reference and the migration puts the only one',
          'a CPU access faults on a device page (migrate_to_ram) or the page is freed: the zdd is gone',
        ],
      },
    },
  ),
);
