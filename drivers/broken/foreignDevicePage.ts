import type { Driver } from '../../model/driver.js';
import { makeMirrorDriver } from '../mirror/makeMirrorDriver.js';

/** Gets other GPUs' device-private pages from hmm_range_fault and maps them as its own VRAM. */
export const foreignDevicePage: Driver = {
  ...makeMirrorDriver(
    'foreign-device-page',
    'mirror that passes one pgmap owner for every GPU and maps each device-private page it gets back as local VRAM',
    { sharedOwner: true },
  ),
  broken: {
    bug: "another device's device-private page is mapped as if it were local VRAM (the GPU reaches a different page than the CPU's)",
    fix: 'mm/hmm: check the device private page owner in hmm_range_fault() (v5.8, commit 08ddddda667b)',
    expects: 'coherence',
  },
};
