// Defines a typed driver procedure (see DriverProc): the model's defineProc plus the handle a
// caller needs.
import { defineProc, ret, type Handler } from '../model/proc.js';
import type { DriverProc } from './DriverProc.js';

/**
 * A driver procedure named `name`: a table of labelled steps, 'start' first. Register it in the
 * driver's `procs` under the same name; other procedures call it with `invoke(handle, args, pc)`.
 * A: what callers pass (the locals at 'start'); R: what it returns; L: the locals its steps use
 * (A plus the fields the steps fill in).
 */
export function defineDriverProc<A extends object, R = unknown, L extends A = A>(
  name: string,
  steps: Record<string, Handler<L>>,
): DriverProc<A, R, L> {
  const p = defineProc<L>(name, steps);
  return { ...p, ref: `drv:${name}`, result: (r) => r as R, ret: (v) => ret(v) };
}
