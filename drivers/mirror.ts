import type { Driver } from '../model/driver.js';
import { makeMirrorDriver } from './mirror/makeMirrorDriver.js';

/** Kernel-correct mirror: dmirror's fault and notifier protocol, migrate-to-VRAM on GPU fault. */
export const mirror: Driver = makeMirrorDriver(
  'mirror',
  'HMM mirror (lib/test_hmm.c shape) that migrates the faulting page to its VRAM, then mirrors it with hmm_range_fault under the read_begin/read_retry protocol',
);
