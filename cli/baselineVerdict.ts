// run --baseline DRIVER: the failing program replayed on another driver (the base a variant was
// made from), to tell a variant's own bug from one it inherited.
import { execute } from '../check/execute.js';
import type { Program } from '../model/program.js';
import { INVARIANTS } from '../properties/catalog.js';
import type { Invariant } from '../properties/invariant.js';
import type { LoadedDriver } from './loadDriver.js';

export interface BaselineVerdict {
  driver: string;
  /** The invariant the baseline breaks on the same program, null when it passes it. */
  breaks: string | null;
}

export function baselineVerdict(
  base: LoadedDriver,
  program: Program,
  extra: readonly Invariant[],
): BaselineVerdict {
  const invariants = extra.length ? { invariants: [...INVARIANTS, ...extra] } : {};
  const v = execute(base.driver, program, invariants).violation;
  return { driver: base.driver.name, breaks: v?.invariant ?? null };
}

/** One line for the text report. */
export function baselineLine(variant: string, b: BaselineVerdict): string {
  return b.breaks === null
    ? `baseline: '${b.driver}' passes this program: the failure is '${variant}''s own`
    : `baseline: '${b.driver}' fails this program too (${b.breaks}): the bug is not the variant's alone`;
}
