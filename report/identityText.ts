// How the driver svmcheck has today compares with the one a case was archived with, in words.
import { match } from 'ts-pattern';
import type { IdentityChange } from '../archive/identityChange.js';

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
