import type { Driver } from '../model/driver.js';
import { makeGpusvmDriver } from './gpusvm/makeGpusvmDriver.js';

/** A second correct reference design: the drm_gpusvm / xe shape of the subsystem. */
export const gpusvm: Driver = makeGpusvmDriver(
  'gpusvm',
  'drm_gpusvm shape (xe): chunk-sized ranges inside the VMA, no split on partial munmap (garbage collector evicts and removes the whole range), get_pages + pages_valid under the notifier lock, one placement per range',
);
