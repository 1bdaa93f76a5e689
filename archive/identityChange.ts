// How a driver compares with the identity an archived case recorded: the same code, code changed
// in named files (scheme 'code' records a hash per file), or changed where the archive cannot say
// which file (scheme 'text', every byte of every file, from before per-file hashes).
import type { CounterexampleFile } from './counterexampleFile.js';
import type { DriverIdentity } from './driverIdentity.js';

export type IdentityChange =
  | { k: 'unchanged' }
  | { k: 'changed'; changed: string[]; added: string[]; removed: string[] }
  | { k: 'changed-text'; files: number };

export function identityChange(
  archived: CounterexampleFile['driver'],
  today: DriverIdentity,
): IdentityChange {
  if (archived.hash === today.hash) return { k: 'unchanged' };
  const was = archived.fileHashes;
  if (archived.hashScheme !== 'code' || !was) return { k: 'changed-text', files: archived.hashOf.length };
  const before = new Map(archived.hashOf.map((f, i) => [f, was[i]]));
  const after = new Map(today.hashOf.map((f, i) => [f, today.fileHashes[i]]));
  return {
    k: 'changed',
    changed: today.hashOf.filter((f) => before.has(f) && before.get(f) !== after.get(f)),
    added: today.hashOf.filter((f) => !before.has(f)),
    removed: archived.hashOf.filter((f) => !after.has(f)),
  };
}
