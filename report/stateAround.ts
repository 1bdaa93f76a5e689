// The state around the failing step, restricted to what matters: the virtual pages that step
// touched or changed, each with its VMA, CPU pte, every GPU's PTE and the page behind it, before
// and after; the driver's ranges and buffer objects over them (through the views it exposes); then
// whatever else in the state changed (stateWords.ts, found generically, so state that drivers add
// later, such as fences, shows up without this file knowing it).
import type { Driver } from '../model/driver.js';
import type { Event } from '../model/events.js';
import { backingPage, vmaAt } from '../model/mem.js';
import type { State } from '../model/types.js';
import { inUnmapping } from '../properties/inUnmapping.js';
import { pageName } from './pageWords.js';
import { driverViews } from './driverViews.js';
import type { Change, StateAround } from './explanation.js';
import { otherChanges } from './stateWords.js';

function page(s: State, p: number): string {
  const pg = s.phys[p];
  if (p <= 0 || !pg) return pageName(s, p);
  return `${pageName(s, p)}: ref ${pg.ref}, map ${pg.map}, holds ${pg.data}`;
}

function cellsOf(s: State, pid: number, vpn: number): string[] {
  const p = s.procs[pid];
  const gpus = s.gpuPt.map((t) => {
    const e = t[pid]?.[vpn] ?? null;
    return e ? `${pageName(s, e.page)} ${e.w ? 'rw' : 'ro'}` : 'none';
  });
  if (!p) return ['no such process', 'none', ...gpus, 'none', '-'];
  const v = vmaAt(s, pid, vpn);
  const vma = !p.alive
    ? 'process exited'
    : v
      ? `[${v.start}, ${v.end}) ${v.prot}${v.shm >= 0 ? ' shared' : ''}`
      : inUnmapping(s, pid, vpn)
        ? 'being unmapped'
        : 'none';
  const e = p.pt[vpn] ?? null;
  const pte = !e
    ? 'none'
    : e.t === 'p'
      ? `present, ${pageName(s, e.page)} ${e.w ? 'rw' : 'ro'}`
      : e.t === 'd'
        ? `device-private, ${pageName(s, e.page)}`
        : e.t === 'x'
          ? `device-exclusive, ${pageName(s, e.page)}`
          : `migration entry, ${pageName(s, e.page)}${e.dst >= 0 ? ` to ${pageName(s, e.dst)}` : ''}`;
  const back = backingPage(s, pid, vpn);
  const c = p.cell[vpn] ?? -1;
  return [vma, pte, ...gpus, back < 0 ? 'none' : page(s, back), c >= 0 ? String(s.cells[c]?.v ?? 0) : '-'];
}

function touched(events: readonly Event[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const e of events) {
    if (!('pid' in e) || e.pid < 0) continue;
    if ('vpn' in e) out.push([e.pid, e.vpn]);
    else if ('end' in e) for (let v = e.start; v < e.end; v++) out.push([e.pid, v]);
    else if ('last' in e) for (let v = e.start; v <= e.last; v++) out.push([e.pid, v]);
    else if ('n' in e && 'start' in e) for (let v = e.start; v < e.start + e.n; v++) out.push([e.pid, v]);
  }
  return out;
}

/** The physical pages a virtual page reaches, for the CPU and for every GPU, in either state. */
function pagesOf(states: readonly State[], pid: number, vpn: number): number[] {
  return states.flatMap((s) => [backingPage(s, pid, vpn), ...s.gpuPt.map((t) => t[pid]?.[vpn]?.page ?? -1)]);
}

export function stateAround(
  driver: Driver,
  before: State,
  after: State,
  events: readonly Event[],
  limit = 8,
): StateAround {
  const gpus = after.gpuPt.map((_, g) => `gpu${g} PTE`);
  const columns = ['VMA', 'CPU pte', ...gpus, 'backing page', 'last written'];
  const vaPages = after.cfg.vaPages;
  const procs = Math.max(before.procs.length, after.procs.length);
  const key = (pid: number, vpn: number): number => pid * vaPages + vpn;
  const pick = new Set<number>();
  const blank = (cells: string[]): boolean => cells.slice(0, -1).every((c) => c === 'none');
  for (const [pid, vpn] of touched(events)) {
    if (vpn < 0 || vpn >= vaPages) continue;
    const a = cellsOf(before, pid, vpn);
    const b = cellsOf(after, pid, vpn);
    if (!blank(a) || !blank(b) || a.join() !== b.join()) pick.add(key(pid, vpn));
  }
  for (let pid = 0; pid < procs; pid++)
    for (let vpn = 0; vpn < vaPages; vpn++)
      if (cellsOf(before, pid, vpn).join('\n') !== cellsOf(after, pid, vpn).join('\n'))
        pick.add(key(pid, vpn));
  const vas = [...pick]
    .sort((x, y) => x - y)
    .slice(0, limit)
    .map((k): [number, number] => [Math.floor(k / vaPages), k % vaPages]);
  const pages = new Set(vas.flatMap(([pid, vpn]) => pagesOf([before, after], pid, vpn)).filter((p) => p > 0));
  const rows = vas.map(([pid, vpn]) => {
    const a = cellsOf(before, pid, vpn);
    const b = cellsOf(after, pid, vpn);
    return {
      va: `pid ${pid} page ${vpn}`,
      cells: a.map((x, i): Change => ({ before: x, after: b[i] ?? x })),
    };
  });
  return {
    columns,
    rows,
    driver: driverViews(driver, before, after, vas, pages),
    other: otherChanges(before, after),
  };
}
