import { defineDriver } from '../api/defineDriver.js';
import type { Driver } from '../model/driver.js';
import { makeXeDriver } from './xe/makeXeDriver.js';
import { XE_AS_READ } from './xe/xeDesign.js';

/** drm_gpusvm + drm_pagemap as in Linux 7.0, as xe uses them, across several devices (issue 21). */
export const xe: Driver = defineDriver(
  makeXeDriver(
    'xe',
    'drm_gpusvm + drm_pagemap (Linux 7.0) as xe uses them, 2-3 devices: a gpusvm per device, get_pages with one pagemap per range, migrate_to_devmem all or nothing, migrate_to_ram of the whole allocation, evict_to_ram by pfn with retries, zdd refcounts, madvise preferred location across devices, GPU atomics in device memory (devmem_only) kept there for a migration timeslice',
    XE_AS_READ,
  ),
);
