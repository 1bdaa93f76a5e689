// The finding of a problem as the archive records it (violation.finding): code, place and data, as
// plain JSON. Run failures (deadlock, livelock, lockdep, lockup) have none yet: check/ words them
// where it detects them; nor has a user module's invariant that gives its own words.
import type { Problem } from '../properties/invariant.js';
import type { FindingRecord } from './counterexampleFile.js';

export function findingRecord(p: Problem): FindingRecord | null {
  if (p.kind !== 'invariant' && p.kind !== 'kernel-bug' && p.kind !== 'kernel-oops') return null;
  const f = p.finding;
  if (!('code' in f)) return null;
  const who =
    p.kind === 'invariant' ? {} : { who: p.who, ...(p.kind === 'kernel-oops' ? { hang: p.hang } : {}) };
  // A JSON round trip: the record holds copies, never the state's own objects.
  return JSON.parse(
    JSON.stringify({ kind: p.kind, ...who, code: f.code, at: f.at, data: f.data }),
  ) as FindingRecord;
}
