// A core procedure with some of its steps replaced: the unit of a kernel patch, stated as the
// smallest difference from the model's own code (as withSteps is for a driver).
import { coreProc } from '../model/engine.js';
import type { Handler, Proc } from '../model/proc.js';

/** Core procedure `name` (e.g. 'hmm_range_fault') with `steps` replaced (same labels) or added. */
export function patchKernelSteps<L extends object = Record<string, unknown>>(
  name: string,
  steps: Record<string, Handler<L>>,
): Proc {
  const old = coreProc(name);
  if (!old) throw new Error(`patchKernelSteps: the model has no core procedure '${name}'`);
  return { name, steps: { ...old.steps, ...(steps as unknown as Proc['steps']) } };
}
