// xe whose drm_pagemap_migrate_to_devmem() points each new device page's zone_device_data at the
// zdd without taking a reference for it: its 'populate' step replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { migrationById } from '../../model/kernel/migrate.js';
import { allocDevPage } from '../../model/mem.js';
import { yieldTo } from '../../model/proc.js';
import { PAGES, mut } from '../../model/touched.js';
import { xe } from '../xe.js';
import type { XeMigrateToDevmemLocals } from '../xe/drmPagemapMigrateToDevmem.js';

export const xeZddPageWithoutRef: Driver = defineDriver(
  withSteps<XeMigrateToDevmemLocals>(
    xe,
    'drm_pagemap_migrate_to_devmem',
    {
      populate(env, l) {
        const s = env.s;
        const m = migrationById(s, l.mig);
        l.own = 0;
        m.src.forEach((src, i) => {
          const from = src.hole ? -1 : (s.phys[src.page]?.gpu ?? -1);
          if (from === l.gpu && !l.sameOk) {
            l.own++;
            return;
          }
          const dst = allocDevPage(s, l.gpu);
          const d = s.phys[dst];
          if (!d) return;
          // The bug: zone_device_data = zdd without drm_pagemap_zdd_get().
          mut(PAGES, d).zdd = l.zdd;
          mut(PAGES, d).data = src.hole ? 0 : (s.phys[src.page]?.data ?? 0);
          m.dst[i] = dst;
        });
        return yieldTo('pages');
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
