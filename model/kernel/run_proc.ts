// The root frame of model/runProc.ts: calls a procedure and keeps its return value in its locals.
import { defineProc } from '../proc.js';

export const runProcRoot = defineProc<{ fn: string; args: Record<string, unknown>; result: unknown }>(
  'run_proc',
  {
    start(_env, l) {
      return { k: 'call', fn: l.fn, args: l.args, pc: 'done' };
    },
    done(_env, l, r) {
      l.result = r;
      return { k: 'ret', v: r };
    },
  },
);
