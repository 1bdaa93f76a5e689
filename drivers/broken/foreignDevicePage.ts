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
    fix: 'mm/hmm: check the device private page owner in hmm_range_fault()',
    expects: 'coherence',
    layer: 'multi-gpu',
    scenario: [
      'gpu0 migrates a page into its device-private VRAM; gpu1 faults on it',
      'hmm_range_fault hands the foreign page back (shared owner) and gpu1 maps it as its own VRAM',
    ],
  },
};
