// The typed `call`: a step calls a procedure through its handle, with the arguments its type says.
import { call, type StepResult } from '../model/proc.js';
import type { Callee } from './Callee.js';

/**
 * Calls `callee` with `args` (the procedure starts in the same atomic step); the calling procedure
 * resumes at step `pc`, whose `r` is the callee's result: read it with `callee.result(r)`.
 */
export function invoke<A extends object, R>(callee: Callee<A, R>, args: A, pc: string): StepResult {
  return call(callee.ref, args as Record<string, unknown>, pc);
}
