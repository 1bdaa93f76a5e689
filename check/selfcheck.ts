// The suite measured against its own catalog of known bugs: every deliberately broken driver must
// be caught, breaking the invariant class it is documented to break, and every correct driver must
// pass. Figures are wall-clock (reported, never asserted).
import type { Driver } from '../model/driver.js';
import { profileByName, type Profile } from '../generators/profiles.js';
import { checkDriver } from './checkDriver.js';
import { openInvariants } from '../model/openFinding.js';
import { INVARIANTS } from '../properties/catalog.js';
import type { Invariant } from '../properties/invariant.js';

export interface EntryResult {
  driver: string;
  layer: string;
  expects: string;
  detected: boolean;
  /** Seeds (of those tried) that found the bug. */
  detectedSeeds: number;
  seeds: number;
  /** Runs and seconds until the first detection, per seed that found it. */
  runsToDetect: number[];
  secondsToDetect: number[];
  invariant: string | null;
  cls: string | null;
  expectedClass: boolean;
  shrunkOps: number | null;
}

export interface SelfcheckReport {
  entries: EntryResult[];
  references: Array<{
    driver: string;
    runs: number;
    ok: boolean;
    invariant: string | null;
    /** Runs its open findings explain (upstream behaviour archived open), per case. */
    known: Record<string, number>;
  }>;
  summary: {
    entries: number;
    detected: number;
    detectionRate: number;
    wrongClass: number;
    medianSecondsToDetect: number;
    worstSecondsToDetect: number;
    medianShrunkOps: number;
    referencesPassed: boolean;
  };
}

const median = (xs: number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * The invariants a variant is checked against: all of them, except those its base driver is known to
 * break (Driver.openFindings: shipped upstream behaviour, archived open) outside the class the entry
 * expects. Such a failure is the code the variant is built on, not the variant's bug (xe's atomic
 * that cannot get device memory ends any xe variant in two operations), so the search goes on to
 * the variant's own bug; the invariants of its expected class stay on.
 */
export function ownBugOnly(d: Driver, expects: string): { invariants?: readonly Invariant[] } {
  const open = openInvariants(d.openFindings);
  const skipped = INVARIANTS.filter((i) => open.includes(i.id) && i.cls !== expects);
  return skipped.length ? { invariants: INVARIANTS.filter((i) => !skipped.includes(i)) } : {};
}

export function selfcheck(
  drivers: readonly Driver[],
  opts: { secondsPerEntry: number; seeds: number; referenceRuns: number },
): SelfcheckReport {
  // Each driver under the suite that exercises its design (Driver.suite), 'default' otherwise.
  const profileOf = (d: Driver): Profile => {
    const p = profileByName(d.suite ?? 'default');
    if (!p) throw new Error(`selfcheck: no suite ${d.suite ?? 'default'}`);
    return p;
  };
  const entries: EntryResult[] = [];
  for (const d of drivers.filter((x) => x.broken)) {
    const b = d.broken;
    if (!b) continue;
    const e: EntryResult = {
      driver: d.name,
      layer: b.layer,
      expects: b.expects,
      detected: false,
      detectedSeeds: 0,
      seeds: opts.seeds,
      runsToDetect: [],
      secondsToDetect: [],
      invariant: null,
      cls: null,
      expectedClass: false,
      shrunkOps: null,
    };
    for (let seed = 1; seed <= opts.seeds; seed++) {
      const t0 = performance.now();
      // An entry that needs some releases' core-mm rules is run on the release it names.
      const profile = b.kernel ? { ...profileOf(d), kernel: b.kernel } : profileOf(d);
      const r = checkDriver(d, profile, {
        runs: 10_000_000,
        seed,
        timeMs: (opts.secondsPerEntry * 1000) / opts.seeds,
        ...ownBugOnly(d, b.expects),
      });
      if (!r.failure) continue;
      e.detectedSeeds++;
      e.runsToDetect.push(r.runs);
      e.secondsToDetect.push((performance.now() - t0) / 1000);
      if (!e.detected) {
        e.detected = true;
        e.invariant = r.failure.violation.invariant;
        e.cls = r.failure.violation.cls;
        e.expectedClass = e.cls === b.expects;
        e.shrunkOps = r.failure.program.ops.length;
      }
    }
    entries.push(e);
  }
  const references = drivers
    .filter((x) => !x.broken)
    .map((d) => {
      // A model of shipped code may break what upstream breaks (archived open): such runs are
      // tallied, not failures, and the check goes on to its runs (it stopped at the first before).
      const r = checkDriver(d, profileOf(d), {
        runs: opts.referenceRuns,
        seed: 1,
        tolerateOpenFindings: true,
      });
      return {
        driver: d.name,
        runs: r.runs,
        ok: !r.failure,
        invariant: r.failure?.violation.invariant ?? null,
        known: r.known ?? {},
      };
    });
  const detected = entries.filter((e) => e.detected);
  const times = detected.map((e) => e.secondsToDetect[0] as number);
  return {
    entries,
    references,
    summary: {
      entries: entries.length,
      detected: detected.length,
      detectionRate: entries.length ? detected.length / entries.length : 1,
      wrongClass: detected.filter((e) => !e.expectedClass).length,
      medianSecondsToDetect: median(times),
      worstSecondsToDetect: times.length ? Math.max(...times) : 0,
      medianShrunkOps: median(detected.map((e) => e.shrunkOps ?? 0)),
      referencesPassed: references.every((r) => r.ok),
    },
  };
}
