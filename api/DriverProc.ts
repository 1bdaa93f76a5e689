// A driver procedure with its types: registered in the driver's `procs` under its name, called
// through `invoke(handle, args, pc)`, its steps seeing locals L (the arguments plus what they add).
import type { Proc, StepResult } from '../model/proc.js';
import type { Callee } from './Callee.js';

/** A driver's procedure: a Proc the driver registers, and a Callee its other procedures invoke. */
export interface DriverProc<A extends object, R, L extends A = A> extends Proc, Callee<A, R> {
  /** The procedure's return: `return handle.ret(v)` checks v against R. */
  ret(v: R): StepResult;
  /** Compile-time only: the locals' type (never set), what withSteps infers from. */
  readonly __locals?: (l: L) => void;
}
