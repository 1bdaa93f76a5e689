// A driver's identity in words: what its hash covers, and how the driver svmcheck has today
// compares with the one the case was archived with.
import { match } from 'ts-pattern';
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import type { IdentityChange } from '../archive/identityChange.js';

export function hashCovers(d: CounterexampleFile['driver']): string {
  const files = `${d.hashOf.length} file${d.hashOf.length === 1 ? '' : 's'}`;
  const tree = d.module === null ? "under svmcheck's drivers/" : "in its module's directory";
  return d.hashScheme === 'code'
    ? `sha256 over the code of ${files}: the module that defines the driver and what it imports ${tree}, without comments, blank space and trailing commas; the model is not included`
    : `sha256 over every byte of ${files}: the module that defines the driver and what it imports ${tree}, comments included; the model is not included`;
}

const list = (xs: string[]): string => xs.join(', ');

export function identityChangeText(c: IdentityChange): string {
  return match(c)
    .with({ k: 'unchanged' }, () => 'the driver is unchanged since the case was archived')
    .with({ k: 'changed' }, (x) => {
      const parts = [
        x.changed.length ? `code changed in ${list(x.changed)}` : '',
        x.added.length ? `now also imports ${list(x.added)}` : '',
        x.removed.length ? `no longer imports ${list(x.removed)}` : '',
      ].filter(Boolean);
      return `the driver changed since the case was archived: ${parts.join('; ')}`;
    })
    .with(
      { k: 'changed-text' },
      (x) =>
        `the driver's ${x.files} files changed since the case was archived, perhaps only in comments or layout: the case records a hash of every byte and no per-file hashes (svmcheck upgrade FILE re-records its driver's identity after replaying it)`,
    )
    .exhaustive();
}
