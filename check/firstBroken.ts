// The invariant pass run after every step, compiled once per invariant list: one call site per
// invariant keeps each site monomorphic (a loop over 20-odd different checks is one megamorphic
// site, which profiles showed), and the driver's range and BO views are built once per pass
// instead of once per invariant that reads them. An invariant that declares the regions it reads
// is skipped when the step wrote none of them (model/touched.ts), one that declares the event
// kinds it reads when the step emitted none of them.
import type { BoView, Driver, RangeView } from '../model/driver.js';
import type { Event } from '../model/events.js';
import type { State } from '../model/types.js';
import type { Finding, Invariant } from '../properties/invariant.js';
import { ALL_REGIONS, REGION_BITS } from '../model/touched.js';
import { EVENT_KIND_BITS, eventKinds } from '../model/eventKinds.js';

export interface Broken {
  invariant: Invariant;
  finding: Finding;
}

/**
 * Checks `s` against every invariant of the list, in order; the first that fails, or null.
 * `written`: the regions the step wrote (default all), when every invariant held before it.
 */
export type FirstBroken = (
  s: State,
  events: readonly Event[],
  driver: Driver,
  written?: number,
) => Broken | null;

type Pass = (
  list: readonly Invariant[],
  s: State,
  events: readonly Event[],
  d: Driver,
  written: number,
  kinds: number,
) => number;

const compiled = new WeakMap<readonly Invariant[], Pass>();
const found: { finding: Finding | null } = { finding: null };

/** The declared regions or event kinds as one mask. */
function maskOf<K extends string>(keys: readonly K[], bitOf: Readonly<Record<K, number>>): number {
  let bits = 0;
  for (const k of keys) bits |= bitOf[k];
  return bits;
}

function compile(list: readonly Invariant[]): Pass {
  const lines = ['let f;'];
  list.forEach((inv, i) => {
    const check = `f = list[${i}].check(s, e, d); if (f !== null) { out.finding = f; return ${i}; }`;
    // State no mark covers (readsUnmarked) may have changed in any step: no guard.
    const guard = inv.readsUnmarked
      ? null
      : inv.reads
        ? `(w & ${maskOf(inv.reads, REGION_BITS)}) !== 0`
        : inv.events
          ? `(k & ${maskOf(inv.events, EVENT_KIND_BITS)}) !== 0`
          : null;
    lines.push(guard ? `if (${guard}) { ${check} }` : check);
  });
  lines.push('return -1;');
  const make = new Function(
    'out',
    `return function pass(list, s, e, d, w, k) {\n${lines.join('\n')}\n};`,
  ) as (out: typeof found) => Pass;
  return make(found);
}

/** A driver whose ranges() and bos() answer from a cache until `fresh()` (one invariant pass). */
function viewsOnce(d: Driver): { driver: Driver; fresh(): void } {
  let bos: BoView[] | null = null;
  const ranges: (RangeView[] | undefined)[] = [];
  const driver: Driver = Object.create(d) as Driver;
  if (d.bos) {
    const real = d.bos.bind(d);
    driver.bos = (s) => (bos ??= real(s));
  }
  if (d.ranges) {
    const real = d.ranges.bind(d);
    driver.ranges = (s, pid) => (ranges[pid] ??= real(s, pid));
  }
  return {
    driver,
    fresh() {
      bos = null;
      if (ranges.length !== 0) ranges.length = 0;
    },
  };
}

/** The compiled pass for `list` (the same array gives the same compiled code). */
export function firstBroken(list: readonly Invariant[], driver: Driver): FirstBroken {
  let pass = compiled.get(list);
  if (!pass) {
    pass = compile(list);
    compiled.set(list, pass);
  }
  const run = pass;
  const views = viewsOnce(driver);
  const byKind = list.some((inv) => inv.events);
  return (s, events, _driver, written = ALL_REGIONS) => {
    views.fresh();
    const i = run(list, s, events, views.driver, written, byKind ? eventKinds(events) : 0);
    if (i < 0) return null;
    const finding = found.finding as Finding;
    found.finding = null;
    return { invariant: list[i] as Invariant, finding };
  };
}
