// What an exception thrown out of a model step means, decided once for the executor and the
// explorer. Only predicted kernel failures are findings: a BUG()/WARN() tied to a named invariant
// (KernelBug, e.g. a kref underflow) or an oops or hang the kernel would hit (KernelOops). A path
// the model does not cover (NotModelled, e.g. ThpNotModelled) leaves the run's verdict unknown. Anything else — a
// misspelt procedure name, a plain Error in svmcheck's own code — is a tool error: it is thrown on
// as ToolError, never shrunk, archived or reported as a kernel bug.
import { KernelBug } from '../model/kernelBug.js';
import { KernelOops } from '../model/kernelOops.js';
import { NotModelled } from '../model/notModelled.js';
import type { Problem } from '../properties/invariant.js';
import { RUN_FAILURES } from '../properties/catalog.js';

export type StepFailure = { k: 'problem'; problem: Problem } | { k: 'not-modelled'; message: string };

/** An error in svmcheck itself (or in a driver's JavaScript), not a behaviour of the kernel modelled. */
export class ToolError extends Error {
  override name = 'ToolError';
  constructor(
    message: string,
    /** The exception the step threw. */
    override readonly cause: unknown,
    /** The program whose run threw it, once known (to reproduce the error). */
    public program?: unknown,
  ) {
    super(message);
  }
}

/** Classifies what step n of `who` threw; throws ToolError for what is not the kernel's. */
export function stepFailure(e: unknown, who: string, n: number): StepFailure {
  if (e instanceof KernelBug)
    return {
      k: 'problem',
      problem: {
        code: 'invariant-violated',
        kind: 'kernel-bug',
        invariant: e.invariant,
        cls: e.cls,
        step: n,
        finding: e.finding,
        who,
      },
    };
  if (e instanceof KernelOops)
    return {
      k: 'problem',
      problem: {
        code: 'invariant-violated',
        kind: 'kernel-oops',
        invariant: 'kernel-oops',
        cls: RUN_FAILURES['kernel-oops'].cls,
        step: n,
        hang: e.kind === 'hang',
        finding: e.finding,
        who,
      },
    };
  if (e instanceof NotModelled) return { k: 'not-modelled', message: e.message };
  const msg = e instanceof Error ? e.message : String(e);
  throw new ToolError(`internal error at step ${n + 1} (${who}): ${msg}`, e);
}
