import type { CounterexampleFile } from '../archive/counterexampleFile.js';

/** What an archived driver hash covers, in words (see archive/driverIdentity.ts). */
export function hashCovers(d: CounterexampleFile['driver']): string {
  const files = `${d.hashOf.length} file${d.hashOf.length === 1 ? '' : 's'}`;
  const tree = d.module === null ? "under svmcheck's drivers/" : "in its module's directory";
  return d.hashScheme === 'code'
    ? `sha256 over the code of ${files}: the module that defines the driver and what it imports ${tree}, without comments, blank space and trailing commas; the model is not included`
    : `sha256 over every byte of ${files}: the module that defines the driver and what it imports ${tree}, comments included; the model is not included`;
}
