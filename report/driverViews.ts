// The driver's own bookkeeping around the failing step, through the views a driver may expose
// (Driver.ranges: its svm_ranges; Driver.bos: its VRAM buffer objects), restricted to the ranges
// that cover the virtual pages involved and the BOs that hold the pages involved.
import type { Driver } from '../model/driver.js';
import type { State } from '../model/types.js';
import { locName } from './pageWords.js';
import type { Change } from './explanation.js';

export type DriverView = { what: string } & Change;

function pair(a: Map<string, string>, b: Map<string, string>): DriverView[] {
  return [...new Set([...a.keys(), ...b.keys()])]
    .sort()
    .map((what) => ({ what, before: a.get(what) ?? 'none', after: b.get(what) ?? 'none' }));
}

function rangesOf(d: Driver, s: State, vas: ReadonlyArray<[number, number]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const pid of new Set(vas.map(([p]) => p))) {
    if (!s.procs[pid]) continue;
    for (const r of d.ranges?.(s, pid) ?? []) {
      if (!vas.some(([p, v]) => p === pid && v >= r.start && v <= r.last)) continue;
      const mapped = r.mapped.map((m) => `0b${m.toString(2)}`).join(' ');
      out.set(
        `svm_range pid ${pid} [${r.start}, ${r.last}]`,
        `preferred ${locName(r.attrs.preferred)}, pending ${r.pending}, GPUs mapped per page ${mapped}`,
      );
    }
  }
  return out;
}

function bosOf(d: Driver, s: State, pages: ReadonlySet<number>): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of d.bos?.(s) ?? []) {
    if (!b.slots.some((p) => pages.has(p))) continue;
    out.set(
      `BO #${b.id} (gpu${b.gpu})`,
      `${b.state}, ref ${b.ref}, ${b.nodeHolders} range node holder${b.nodeHolders === 1 ? '' : 's'}, ${b.vram ? 'holds its VRAM' : 'VRAM given back'}${b.evicting ? ', evicting' : ''}`,
    );
  }
  return out;
}

export function driverViews(
  d: Driver,
  before: State,
  after: State,
  vas: ReadonlyArray<[number, number]>,
  pages: ReadonlySet<number>,
): DriverView[] {
  return [
    ...pair(rangesOf(d, before, vas), rangesOf(d, after, vas)),
    ...pair(bosOf(d, before, pages), bosOf(d, after, pages)),
  ];
}
