// Forward progress of dma_fences: once its job's dependencies have signalled, nothing it waits on
// (directly or through the activities it waits for) may be page-fault handling, reclaim or an
// hmm_fence — the waits nothing bounds (dma-buf.rst, "Recoverable Hardware Page Faults
// Implications": "memory allocations are not allowed to gate completion of DMA fences").
import { fenceName } from '../../model/fence/fenceName.js';
import { FS_RECLAIM, GPU_PAGE_FAULT } from '../../model/lockdep/pseudoLocks.js';
import type { State } from '../../model/types.js';
import { waitLinks, type WaitLink } from '../../model/waitFor.js';
import type { FindingOf, Invariant } from '../invariant.js';

/** Why an activity's progress is unbounded. */
type Unbounded = 'page-fault' | 'reclaim' | 'hmm-fence';

/**
 * A ready dma_fence (named as the wait-for graph names it) whose job waits, through `chain`, on an
 * activity (`agent`) doing work nothing bounds.
 */
export type DmaFenceForwardProgressFinding = FindingOf<
  Unbounded,
  { fence: string; ready: number; agent: string; chain: { agent: string; waits: string }[] }
>;

/** Why an activity's progress is unbounded, or null. */
function unbounded(s: State, l: WaitLink): Unbounded | null {
  if (l.holds.includes(GPU_PAGE_FAULT)) return 'page-fault';
  if (l.holds.includes(FS_RECLAIM)) return 'reclaim';
  const w = s.acts.find((a) => a.id === l.act)?.wait;
  const f = w?.k === 'fence' ? s.sync.fences[w.id] : undefined;
  if (f?.kind === 'hmm' && !f.signaled) return 'hmm-fence';
  return null;
}

export const dmaFenceForwardProgress: Invariant = {
  id: 'dma-fence-forward-progress',
  cls: 'fence',
  meaning:
    'Every dma_fence signals within a bounded number of steps of its job becoming runnable: from then on its job never waits, directly or through other activities, on page-fault handling, reclaim or an hmm_fence.',
  // The fences and jobs, and the wait-for graph (model/waitFor.ts): activities, locks, counters,
  // notifiers and the mm sequence a notifier wait compares.
  reads: ['sync', 'mm', 'notifiers'],
  readsUnmarked: [
    'acts',
    'acts.id',
    'acts.agent',
    'acts.op',
    'acts.frames',
    'acts.held',
    'acts.wait',
    'locks',
    'counters',
  ],
  // An activity waiting on a notifier waits for the one in mmu_invalidate_start for its pid.
  readsFrames: ['mmu_invalidate_start'],
  check(s) {
    const isReady = (f: State['sync']['fences'][number]): boolean =>
      f.kind === 'dma' && !f.signaled && f.ready >= 0;
    // Checked after every step: most states have no such fence, and a filter allocates even then.
    if (!s.sync.fences.some(isReady)) return null;
    const ready = s.sync.fences.filter(isReady);
    const blocked = new Map(waitLinks(s).map((l) => [l.act, l]));
    const linkOf = (id: number): WaitLink | null => {
      const b = blocked.get(id);
      if (b) return b;
      const a = s.acts.find((x) => x.id === id);
      if (!a) return null;
      return {
        act: a.id,
        agent: a.agent,
        op: a.op,
        holds: [...a.held],
        waits: 'runnable',
        on: [],
        onAgents: [],
        role: 'held by',
      };
    };
    for (const f of ready) {
      const start = linkOf(s.sync.jobs[f.job]?.act ?? -1);
      if (!start) continue;
      // Breadth-first along "waits on", keeping the chain that leads to each activity.
      const chains = new Map<number, WaitLink[]>([[start.act, [start]]]);
      const queue = [start];
      for (let l = queue.shift(); l; l = queue.shift()) {
        const chain = chains.get(l.act) ?? [l];
        const why = unbounded(s, l);
        if (why) {
          const fence = fenceName(s, f.id);
          return {
            code: why,
            at: { fence: f.id, act: l.act },
            data: {
              fence,
              ready: f.ready,
              agent: l.agent,
              chain: chain.map((c) => ({ agent: c.agent, waits: c.waits })),
            },
            witness: { k: 'fence-chain' as const, fence, chain },
          } satisfies DmaFenceForwardProgressFinding & { witness: unknown };
        }
        for (const id of l.on) {
          if (chains.has(id)) continue;
          const next = linkOf(id);
          if (!next) continue;
          chains.set(id, [...chain, next]);
          queue.push(next);
        }
      }
    }
    return null;
  },
};
