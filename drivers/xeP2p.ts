import { defineDriver } from '../api/defineDriver.js';
import type { Driver } from '../model/driver.js';
import { makeXeDriver } from './xe/makeXeDriver.js';
import { XE_AS_READ } from './xe/xeDesign.js';

/**
 * xe with MIGRATE_VMA_SELECT_DEVICE_PRIVATE in drm_pagemap_migrate_to_devmem(), what the commit
 * read's FIXME says "should work": a peer's device-private pages inside the interconnect group
 * migrate to the faulting device directly, copied by the peer (source_peer_migrates).
 */
export const xeP2p: Driver = defineDriver(
  makeXeDriver(
    'xe-p2p',
    'xe whose migrate_to_devmem also selects device-private pages: inside an interconnect group a peer copies its pages straight to the faulting device (source_peer_migrates) instead of bouncing them through system memory',
    { ...XE_AS_READ, selectDevicePrivate: true },
  ),
);
