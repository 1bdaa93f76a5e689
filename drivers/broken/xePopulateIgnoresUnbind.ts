// xe whose populate_mm does not enter the device (drm_dev_enter) and so keeps populating device
// memory of a device being unbound: its xe_populate_mm 'start' step replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { mmapLock } from '../../model/locks.js';
import { goto, ret } from '../../model/proc.js';
import { xe } from '../xe.js';
import type { XePopulateLocals } from '../xe/xePopulateMm.js';

export const xePopulateIgnoresUnbind: Driver = defineDriver(
  withSteps<XePopulateLocals>(
    xe,
    'xe_populate_mm',
    {
      start(env, l) {
        if (!env.s.procs[l.pid]?.alive) return ret('EFAULT');
        const b = lockOrBlock(env, mmapLock(l.pid), 'r');
        if (b) return b;
        // The bug: no drm_dev_enter(), no -ENODEV for a device being unbound.
        l.entered = false;
        l.tries = 0;
        return goto('bo');
      },
    },
    {
      name: 'xe-populate-ignores-unbind',
      summary: 'xe whose populate_mm keeps migrating to a device that is being unbound',
      broken: {
        bug: 'a prefetch or a fault preferring another device migrates pages into device memory whose pagemap is being torn down: zone_device_page_init() on a killed pgmap (WARN), or pages the unbind has already emptied come back',
        fix: 'drm_pagemap.c DOC: Overview: "The implementation should also handle device unbinding by blocking (return an -ENODEV) error for new population requests"; xe_drm_pagemap_populate_mm() calls drm_dev_enter()',
        expects: 'teardown',
        layer: 'multi-gpu',
        scenario: [
          "a device's driver is unbound: its device memory is evicted and its pagemap killed",
          'a prefetch to that device still populates it',
        ],
      },
    },
  ),
);
