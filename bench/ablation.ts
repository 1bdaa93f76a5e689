// The catalog issue's ablation: time to detect each catalog entry with the suite's generators
// (programs that start by mapping memory, explicit schedules, a fault-injection stream, varied
// scales) versus the straightforward fast-check usage (an array of operations of default size, one
// fixed configuration, no schedule, no fault injection).
import fc from 'fast-check';
import { execute } from '../check/execute.js';
import { DEFAULT_CONFIG } from '../model/config.js';
import type { Driver } from '../model/driver.js';
import type { Program } from '../model/program.js';
import { opArb } from '../generators/opArb.js';
import { programArb } from '../generators/programArb.js';
import type { Profile } from '../generators/profiles.js';

export function naiveProgramArb(profile: Profile): fc.Arbitrary<Program> {
  return fc.record({
    config: fc.constant(DEFAULT_CONFIG),
    ops: fc.array(opArb(profile)),
    schedule: fc.constant([]),
    faults: fc.constant([]),
  });
}

/** Seconds until fast-check finds a violation with this arbitrary, or null within the budget. */
export function secondsToDetect(
  driver: Driver,
  arb: fc.Arbitrary<Program>,
  budgetMs: number,
  seed: number,
): number | null {
  const t0 = performance.now();
  const details = fc.check(
    fc.property(arb, (p) => execute(driver, p).violation === null),
    {
      numRuns: 100_000_000,
      seed,
      interruptAfterTimeLimit: budgetMs,
      markInterruptAsFailure: false,
      endOnFailure: true,
    },
  );
  return details.failed ? (performance.now() - t0) / 1000 : null;
}

export function ablation(
  drivers: readonly Driver[],
  profileOf: (d: Driver) => Profile,
  budgetMs: number,
): string[] {
  const lines = [
    `${'catalog entry'.padEnd(28)} ${'suite (s)'.padStart(10)} ${'naive (s)'.padStart(10)}  ratio`,
  ];
  for (const d of drivers.filter((x) => x.broken)) {
    const p = profileOf(d);
    const ours = secondsToDetect(d, programArb(p), budgetMs, 1);
    const naive = secondsToDetect(d, naiveProgramArb(p), budgetMs, 1);
    const fmt = (x: number | null): string => (x === null ? `>${budgetMs / 1000}` : x.toFixed(2));
    const ratio =
      ours !== null && naive !== null
        ? `${(naive / Math.max(ours, 1e-3)).toFixed(1)}x`
        : naive === null && ours !== null
          ? 'naive misses'
          : '-';
    lines.push(`${d.name.padEnd(28)} ${fmt(ours).padStart(10)} ${fmt(naive).padStart(10)}  ${ratio}`);
  }
  return lines;
}
