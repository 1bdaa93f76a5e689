// The executor skips an invariant when the step wrote none of the regions it reads. That is sound
// only if (1) every write marks its region and (2) every invariant reads no more than it declares.
// Both are checked here on generated runs of every built-in driver (and dmirror), against the
// state itself: a region's contents compared before and after each step, and the top-level fields
// an invariant's check really touches.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execute } from '../check/execute.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { dmirror } from '../drivers/dmirror/dmirror.js';
import { programArb } from '../generators/programArb.js';
import { PROFILES, profileByName, type Profile } from '../generators/profiles.js';
import { reference } from '../drivers/reference.js';
import type { Driver } from '../model/driver.js';
import { initialState } from '../model/engine.js';
import {
  REGION_BITS,
  REGION_FIELDS,
  UNMARKED_READS,
  touched,
  type Region,
  type UnmarkedRead,
} from '../model/touched.js';
import type { Activity, Frame, State } from '../model/types.js';
import type { Event } from '../model/events.js';
import type { Program } from '../model/program.js';
import { INVARIANTS } from '../properties/catalog.js';
import type { Invariant } from '../properties/invariant.js';

const REGIONS = Object.keys(REGION_FIELDS) as Region[];
/** Fields that never change after initialState. */
const CONSTANT: ReadonlySet<string> = new Set(['cfg', 'vramBase']);

const fingerprint = (s: State): string[] =>
  REGIONS.map((r) => JSON.stringify(REGION_FIELDS[r].map((f) => s[f])));
/** Each activity's contents by id (what the explorer's encoding copies for an activity that did not step). */
const activities = (s: State): Map<number, string> =>
  new Map(s.acts.map((a) => [a.id, JSON.stringify([a.agent, a.op, a.wait, a.held, a.frames])]));

function profileOf(d: Driver): Profile {
  const name = d.name.startsWith('fence') ? 'fences' : d.name === 'dmirror' ? 'mirror' : 'default';
  const p = profileByName(name);
  if (!p) throw new Error(name);
  return p;
}

/** Runs the program with `look` called after every step, ahead of the invariants (it never fails a run). */
function probeRun(
  d: Driver,
  p: Program,
  look: (s: State, events: readonly Event[], driver: Driver) => void,
): void {
  const probe: Invariant = {
    id: 'probe',
    cls: 'memory-safety',
    meaning: 'test probe',
    check(s, events, driver) {
      look(s, events, driver);
      return null;
    },
  };
  execute(d, p, { invariants: [probe, ...INVARIANTS] });
}

const DRIVERS: readonly Driver[] = [...BUILTIN_DRIVERS, dmirror];
/** Every driver with its own suite, and the reference driver with every suite. */
const CASES: ReadonlyArray<readonly [string, Driver, Profile]> = [
  ...DRIVERS.map((d) => [`${d.name} (${profileOf(d).name})`, d, profileOf(d)] as const),
  ...PROFILES.filter((p) => p.name !== 'default').map(
    (p) => [`reference (${p.name})`, reference, p] as const,
  ),
];

describe('write marks (model/touched.ts)', () => {
  it.each(CASES)(
    '%s: every region a step changed is marked, and one activity at most changed',
    (_name, d, profile) => {
      const programs = fc.sample(programArb(profile), { numRuns: 150, seed: 21 });
      const missed: string[] = [];
      let steps = 0;
      for (const p of programs) {
        let before = fingerprint(initialState(p.config, d));
        let actsBefore = new Map<number, string>();
        let step = 0;
        // First in the list, so no invariant's own reads (driver views) have marked anything yet.
        probeRun(d, p, (s) => {
          const after = fingerprint(s);
          REGIONS.forEach((r, i) => {
            if (after[i] !== before[i] && !(touched.bits & REGION_BITS[r]))
              missed.push(`step ${step}: ${r} changed unmarked (${JSON.stringify(p.ops)})`);
          });
          // A step changes the activity it steps and no other (it may add new ones, or end its own).
          const actsAfter = activities(s);
          const changed = [...actsAfter].filter(([id, a]) => actsBefore.has(id) && actsBefore.get(id) !== a);
          if (changed.length > 1)
            missed.push(`step ${step}: activities ${changed.map(([id]) => id).join(', ')} all changed`);
          actsBefore = actsAfter;
          before = after;
          step++;
          steps++;
        });
      }
      expect(steps).toBeGreaterThan(100);
      expect(missed.slice(0, 3)).toEqual([]);
    },
  );
});

/**
 * Spies on what a check reads: each top-level State field, which activities exist (the acts
 * array itself) and each field of an activity (acts.wait, ...), as the names Invariant.reads and
 * Invariant.readsUnmarked declare.
 */
function readsOf(s: State, into: Set<string>, frameReads?: Set<string>): State {
  // A frame's pc, locals or return value read: `frame fn` (its name alone is not).
  const frame = (f: Frame): Frame =>
    new Proxy(f, {
      get(t, k, r) {
        if (k !== 'fn' && typeof k === 'string') frameReads?.add(f.fn);
        return Reflect.get(t, k, r) as unknown;
      },
    });
  const frames = (fs: Frame[]): Frame[] =>
    new Proxy(fs, {
      get(t, k, r) {
        const v = Reflect.get(t, k, r) as unknown;
        return typeof k === 'string' && /^\d+$/.test(k) && v ? frame(v as Frame) : v;
      },
    });
  const act = (a: Activity): Activity =>
    new Proxy(a, {
      get(t, k, r) {
        if (typeof k === 'string') into.add(`acts.${k}`);
        const v = Reflect.get(t, k, r) as unknown;
        return k === 'frames' ? frames(v as Frame[]) : v;
      },
    });
  const acts = new Proxy(s.acts, {
    get(t, k, r) {
      into.add('acts');
      const v = Reflect.get(t, k, r) as unknown;
      // Elements reached by index or by the array's own iteration (find, filter, for-of).
      return typeof k === 'string' && /^\d+$/.test(k) && v ? act(v as Activity) : v;
    },
  });
  return new Proxy(s, {
    get(t, k, r) {
      if (k === 'acts') return acts;
      if (typeof k === 'string') into.add(k);
      return Reflect.get(t, k, r) as unknown;
    },
  });
}

describe('read declarations (Invariant.reads, Invariant.readsUnmarked)', () => {
  const declared = INVARIANTS.filter((i) => i.reads || i.readsUnmarked);
  const regionOnly = declared.filter((i) => !i.readsUnmarked);

  it('invariants declaring regions only read no events: they are not transition or final ones', () => {
    expect(regionOnly.length).toBeGreaterThan(5);
    for (const i of regionOnly)
      expect([i.id, i.transition ?? false, i.final ?? false]).toEqual([i.id, false, false]);
  });

  it('every step invariant declares what it reads: regions and unmarked state, or event kinds', () => {
    const undeclared = INVARIANTS.filter((i) => !i.final && !i.reads && !i.readsUnmarked && !i.events);
    expect(undeclared.map((i) => i.id)).toEqual([]);
  });

  it.each(CASES)('%s: every declaring invariant reads only what it declares', (_name, d, profile) => {
    const programs = fc.sample(programArb(profile), { numRuns: 40, seed: 22 });
    const bad = new Set<string>();
    let checks = 0;
    // The field each top-level name belongs to.
    const regionOf = new Map<string, Region>();
    for (const r of REGIONS) for (const f of REGION_FIELDS[r]) regionOf.set(f, r);
    const unmarked: ReadonlySet<string> = new Set(UNMARKED_READS);
    for (const p of programs) {
      probeRun(d, p, (s, events, driver) => {
        for (const inv of declared) {
          const seen = new Set<string>();
          inv.check(readsOf(s, seen), events, driver);
          checks++;
          for (const k of seen) {
            if (CONSTANT.has(k)) continue;
            const r = regionOf.get(k);
            if (r) {
              if (!inv.reads?.includes(r)) bad.add(`${inv.id} reads State.${k} (${r})`);
            } else if (!unmarked.has(k))
              bad.add(`${inv.id} reads State.${k} (neither a region nor unmarked state)`);
            else if (!inv.readsUnmarked?.includes(k as UnmarkedRead))
              bad.add(`${inv.id} reads ${k} (unmarked)`);
          }
        }
      });
    }
    expect(checks).toBeGreaterThan(100);
    expect([...bad]).toEqual([]);
  });
});

describe('frame declarations (Invariant.readsFrames)', () => {
  it.each(CASES)(
    '%s: an invariant looks into frames of the procedures it declares only',
    (_name, d, profile) => {
      const programs = fc.sample(programArb(profile), { numRuns: 40, seed: 23 });
      const bad = new Set<string>();
      const looked = new Set<string>();
      for (const p of programs) {
        probeRun(d, p, (s, events, driver) => {
          for (const inv of INVARIANTS) {
            if (inv.final) continue;
            const fns = new Set<string>();
            inv.check(readsOf(s, new Set(), fns), events, driver);
            for (const fn of fns) {
              looked.add(fn);
              if (!inv.readsFrames?.includes(fn)) bad.add(`${inv.id} looks into ${fn}'s frame`);
            }
          }
        });
      }
      expect([...bad]).toEqual([]);
    },
  );
});

describe('event declarations (Invariant.events)', () => {
  const declared = INVARIANTS.filter((i) => i.events);

  it('declaring invariants are transition ones that declare no regions', () => {
    expect(declared.length).toBeGreaterThan(5);
    for (const i of declared) expect([i.id, i.transition, i.reads]).toEqual([i.id, true, undefined]);
  });

  it.each(CASES)('%s: no check reads an event of a kind it did not declare', (_name, d, profile) => {
    const programs = fc.sample(programArb(profile), { numRuns: 60, seed: 26 });
    const bad = new Set<string>();
    let events = 0;
    for (const p of programs) {
      probeRun(d, p, (s, stepEvents, driver) => {
        for (const inv of declared) {
          const kinds = new Set<string>(inv.events);
          // Reading `e` tells the kind; any other field of an undeclared kind is a read it did not declare.
          const spied = stepEvents.map(
            (ev) =>
              new Proxy(ev, {
                get(t, k, r) {
                  if (k !== 'e' && !kinds.has(t.e)) bad.add(`${inv.id} reads ${String(k)} of a ${t.e} event`);
                  return Reflect.get(t, k, r) as unknown;
                },
              }),
          );
          events += spied.length;
          inv.check(s, spied, driver);
        }
      });
    }
    expect(events).toBeGreaterThan(100);
    expect([...bad]).toEqual([]);
  });
});
