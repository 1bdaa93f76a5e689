// How each operation of a run resolved against the state it started in: applied (it reached a
// kernel path), skipped (its target did not exist: run_op's SKIP) or not reached (the run stopped
// first). Read off the trace, so the model needs no extra bookkeeping.
import type { TraceStep } from '../check/execute.js';
import type { Program } from '../model/program.js';
import type { Resolution } from './counterexampleFile.js';

export function opResolutions(program: Program, trace: readonly TraceStep[]): Resolution[] {
  const out: Resolution[] = program.ops.map(() => 'not-reached');
  for (const t of trace) {
    if (t.op < 0 || t.op >= out.length) continue;
    const skipped = t.events.some((e) => e.e === 'syscall' && e.err === 'SKIP');
    if (skipped) out[t.op] = 'skipped';
    else if (out[t.op] === 'not-reached') out[t.op] = 'applied';
  }
  return out;
}
