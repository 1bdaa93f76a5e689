// The drivers shipped with svmcheck, by name.
import type { Driver } from '../model/driver.js';
import { foreignDevicePage } from './broken/foreignDevicePage.js';
import { ignoreUnmap } from './broken/ignoreUnmap.js';
import { noReadRetry } from './broken/noReadRetry.js';
import { reference } from './reference.js';

export const BUILTIN_DRIVERS: readonly Driver[] = [reference, noReadRetry, ignoreUnmap, foreignDevicePage];

export function builtinDriver(name: string): Driver | undefined {
  return BUILTIN_DRIVERS.find((d) => d.name === name);
}
