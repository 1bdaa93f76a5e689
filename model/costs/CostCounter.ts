// Counts what a run costs from the model's own observations, step by step: the events a step
// emitted (GPU accesses, notifier callbacks), the page tables it wrote (where each virtual page's
// contents live now), the activities left waiting on locks, and the run's count of pages migrate_vma
// copied (COPIED_STAT). Nothing is estimated: a page counts as migrated when its pte, after a step,
// points at memory of another place than before. A move made of two migrations within one step
// (kfd's VRAM to VRAM through system memory) is seen as one move, VRAM to VRAM; its bytes count twice.
import type { Event } from '../events.js';
import { MM } from '../touched.js';
import type { State } from '../types.js';
import { COPIED_STAT, PAGE_BYTES, PING_PONG_K, type Costs } from './costs.js';

/** Where a pte's contents are: -1 system memory, g ≥ 0 GPU g's VRAM; null no page; undefined in flight. */
function placeOf(s: State, pid: number, vpn: number): number | null | undefined {
  const pte = s.procs[pid]?.pt[vpn] ?? null;
  if (!pte) return null;
  // A migration entry: the move is not committed yet; the finished move is seen when it lands.
  if (pte.t === 'm') return undefined;
  return s.phys[pte.page]?.gpu ?? -1;
}

export class CostCounter {
  private readonly place = new Map<number, number>();
  private readonly moves = new Map<number, number>();
  private readonly toDevPages = new Set<number>();
  private readonly gpuTouched = new Set<number>();
  /** Pages seen under a migration entry since they last had a place: their landing is a move. */
  private readonly inFlight = new Set<number>();
  private toDev = 0;
  private toSys = 0;
  private devToDev = 0;
  private invalidations = 0;
  private lockWaits = 0;

  constructor(private readonly vaPages: number) {}

  /** After each step: `written` is the step's region bits (model/touched.ts). */
  observe(s: State, events: readonly Event[], written: number): void {
    for (const e of events) {
      if (e.e === 'notify') this.invalidations++;
      else if (e.e === 'gpu-read' || e.e === 'gpu-write') this.gpuTouched.add(e.pid * this.vaPages + e.vpn);
    }
    for (const a of s.acts) if (a.wait && (a.wait.k === 'lock' || a.wait.k === 'unlocked')) this.lockWaits++;
    // Only a step that wrote page tables can have moved a page.
    if (written & MM) for (const p of s.procs) this.scan(s, p.pid, p.pt.length);
  }

  private scan(s: State, pid: number, n: number): void {
    for (let vpn = 0; vpn < n; vpn++) {
      const now = placeOf(s, pid, vpn);
      const key = pid * this.vaPages + vpn;
      if (now === undefined) {
        this.inFlight.add(key);
        continue;
      }
      const was = this.place.get(key);
      if (now === null) {
        this.place.delete(key);
        this.inFlight.delete(key);
        continue;
      }
      if (was === now) continue;
      this.place.set(key, now);
      const migrated = this.inFlight.delete(key);
      // First contents of a page: a CPU first touch or a fork child's copy of its parent's ptes
      // moves nothing; a hole migrated to VRAM (it went through a migration entry) is a move that
      // copies no data.
      if (was === undefined && !migrated) continue;
      this.moves.set(key, (this.moves.get(key) ?? 0) + 1);
      if (now < 0) this.toSys++;
      else {
        this.toDevPages.add(key);
        if (was === undefined || was < 0) this.toDev++;
        else this.devToDev++;
      }
    }
  }

  /** The totals; `stats` are the run's model counters (check/execute.ts ExecResult.stats). */
  finish(stats: ReadonlyMap<string, number>): Costs {
    let untouched = 0;
    for (const k of this.toDevPages) if (!this.gpuTouched.has(k)) untouched++;
    let pingPong = 0;
    for (const m of this.moves.values()) if (m > PING_PONG_K) pingPong++;
    return {
      gpuFaults: stats.get('gpu page faults') ?? 0,
      cpuFaults: stats.get('cpu page faults') ?? 0,
      pagesToDev: this.toDev,
      pagesToSys: this.toSys,
      pagesDevToDev: this.devToDev,
      bytesCopied: (stats.get(COPIED_STAT) ?? 0) * PAGE_BYTES,
      untouchedToDev: untouched,
      pingPong,
      invalidations: this.invalidations,
      lockWaitSteps: this.lockWaits,
    };
  }
}
