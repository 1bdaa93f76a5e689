// The invariant pass run after every step, compiled once per invariant list: one call site per
// invariant keeps each site monomorphic (a loop over 20-odd different checks is one megamorphic
// site, which profiles showed), and the driver's range and BO views are built once per pass
// instead of once per invariant that reads them.
import type { BoView, Driver, RangeView } from '../model/driver.js';
import type { Event } from '../model/events.js';
import type { State } from '../model/types.js';
import type { Finding, Invariant } from '../properties/invariant.js';

export interface Broken {
  invariant: Invariant;
  finding: Finding;
}

/** Checks `s` against every invariant of the list, in order; the first that fails, or null. */
export type FirstBroken = (s: State, events: readonly Event[], driver: Driver) => Broken | null;

type Pass = (list: readonly Invariant[], s: State, events: readonly Event[], d: Driver) => number;

const compiled = new WeakMap<readonly Invariant[], Pass>();
const found: { finding: Finding | null } = { finding: null };

function compile(n: number): Pass {
  const lines = ['let f;'];
  for (let i = 0; i < n; i++)
    lines.push(`f = list[${i}].check(s, e, d); if (f !== null) { out.finding = f; return ${i}; }`);
  lines.push('return -1;');
  const make = new Function('out', `return function pass(list, s, e, d) {\n${lines.join('\n')}\n};`) as (
    out: typeof found,
  ) => Pass;
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
      ranges.length = 0;
    },
  };
}

/** The compiled pass for `list` (the same array gives the same compiled code). */
export function firstBroken(list: readonly Invariant[], driver: Driver): FirstBroken {
  let pass = compiled.get(list);
  if (!pass) {
    pass = compile(list.length);
    compiled.set(list, pass);
  }
  const run = pass;
  const views = viewsOnce(driver);
  return (s, events) => {
    views.fresh();
    const i = run(list, s, events, views.driver);
    if (i < 0) return null;
    const finding = found.finding as Finding;
    found.finding = null;
    return { invariant: list[i] as Invariant, finding };
  };
}
