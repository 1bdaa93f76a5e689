// Whether an archived case still behaves as its status says (the archive's manifest of expected
// outcomes): open and expected cases must still break their invariant, fixed ones must pass, and
// no operation may resolve differently from when the case was archived.
import type { CounterexampleFile } from './counterexampleFile.js';
import type { ArchivedReplay, StaleStep } from './replayArchived.js';

export type StatusProblem =
  | ({ k: 'stale' } & StaleStep)
  | { k: 'no-longer-violates'; invariant: string }
  | { k: 'violates-other'; invariant: string; now: string }
  | { k: 'still-violates'; invariant: string };

export function statusProblems(cx: CounterexampleFile, r: ArchivedReplay): StatusProblem[] {
  const out: StatusProblem[] = r.stale.map((s) => ({ k: 'stale', ...s }));
  const inv = cx.violation.invariant;
  if (cx.status === 'fixed') {
    if (r.violation) out.push({ k: 'still-violates', invariant: r.violation.invariant });
  } else if (r.verdict === 'passes') out.push({ k: 'no-longer-violates', invariant: inv });
  else if (r.verdict === 'violates-other')
    out.push({ k: 'violates-other', invariant: inv, now: r.violation?.invariant ?? '' });
  return out;
}
