// A variant of a driver that differs in some steps of one procedure: the rest of the driver, its
// other procedures and the rest of this one, are the base's own code. This is how a design change
// (or a bug) is stated as the smallest difference from a driver that is known to be correct.
import type { BrokenInfo, Driver } from '../model/driver.js';
import type { Handler, Proc } from '../model/proc.js';

/** What the variant is called and says about itself (default: BASE+PROC, the base's summary). */
export interface VariantInfo {
  name?: string;
  summary?: string;
  /** For a deliberately broken variant: the bug and the invariant class it must break. */
  broken?: BrokenInfo;
}

/**
 * `base` with the steps of procedure `proc` replaced (same labels) or added (new labels the new
 * steps goto, yield or call back to). Give the locals' type the base's steps use, e.g.
 * `withSteps<MirrorFaultLocals>(mirror, 'gpu_fault', {...})`.
 */
export function withSteps<L extends object = Record<string, unknown>>(
  base: Driver,
  proc: string,
  steps: Record<string, Handler<L>>,
  info: VariantInfo = {},
): Driver {
  const old = base.procs[proc];
  if (!old)
    throw new Error(
      `withSteps: driver '${base.name}' has no procedure '${proc}' (it has ${Object.keys(base.procs).join(', ')})`,
    );
  const replaced: Proc = {
    ...old,
    name: old.name,
    steps: { ...old.steps, ...(steps as unknown as Proc['steps']) },
  };
  // A variant of a broken driver is not that catalog entry: its own `broken`, or none.
  const rest: Driver = { ...base };
  delete rest.broken;
  return {
    ...rest,
    name: info.name ?? `${base.name}+${proc}`,
    summary: info.summary ?? `${base.summary}; ${proc}: steps ${Object.keys(steps).join(', ')} replaced`,
    ...(info.broken ? { broken: info.broken } : {}),
    procs: { ...base.procs, [proc]: replaced },
  };
}
