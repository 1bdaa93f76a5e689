// One step of a driver's procedure, for a variant whose step does something before or after the
// base's own: withSteps replaces a step by its label, and the replacement calls the original
// through this instead of copying it.
import type { Driver } from '../model/driver.js';
import type { Handler } from '../model/proc.js';

/**
 * The step `label` of procedure `proc` of `base`, typed with the locals the base's steps use, e.g.
 * `stepOf<SvmSetAttrLocals>(reference, 'set_attr', 'validate')`. Throws when there is no such step.
 */
export function stepOf<L extends object = Record<string, unknown>>(
  base: Driver,
  proc: string,
  label: string,
): Handler<L> {
  const p = base.procs[proc];
  if (!p) throw new Error(`stepOf: driver '${base.name}' has no procedure '${proc}'`);
  const h = p.steps[label];
  if (!h)
    throw new Error(
      `stepOf: procedure '${proc}' of driver '${base.name}' has no step '${label}' (it has ${Object.keys(p.steps).join(', ')})`,
    );
  return h as unknown as Handler<L>;
}
