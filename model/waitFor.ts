// The wait-for graph of blocked activities: what each waits for, in kernel terms, and which
// activities must act before it can go on (lock holders, the job that signals a fence, the
// invalidation a notifier reader sleeps on). A cycle in it is an actual deadlock.
import { fenceName } from './fence/fenceName.js';
import { waitSatisfied } from './locks.js';
import type { Activity, State, Wait } from './types.js';

export interface WaitLink {
  act: number;
  agent: string;
  /** The program operation it runs, -1 for kernel work. */
  op: number;
  /** Locks and pseudo-lock sections it holds, in acquisition order. */
  holds: string[];
  waits: string;
  /** Activities that must act first, their agents, and what they do for it. */
  on: number[];
  onAgents: string[];
  role: Role;
}

/** How the activities a link waits on release it. */
export type Role = 'held by' | 'signalled by' | 'ended by' | 'counted by';

function holders(s: State, name: string): number[] {
  const l = s.locks[name];
  return l ? [l.w, ...l.r].filter((x) => x >= 0) : [];
}

function describe(s: State, w: Wait): { waits: string; on: number[]; role: Role } {
  switch (w.k) {
    case 'lock':
      return {
        waits: `${w.name} for ${w.mode === 'r' ? 'read' : 'write'}`,
        on: holders(s, w.name),
        role: 'held by',
      };
    case 'unlocked':
      return { waits: `${w.name} to be unlocked`, on: holders(s, w.name), role: 'held by' };
    case 'notifier': {
      const pid = s.notifiers[w.id]?.pid ?? -1;
      const inv = s.acts.filter((a) =>
        a.frames.some((f) => f.fn === 'mmu_invalidate_start' && f.l['pid'] === pid),
      );
      return {
        waits: `mmu_interval_read_begin on notifier ${w.id} until the invalidation of pid ${pid} ends`,
        on: inv.map((a) => a.id),
        role: 'ended by',
      };
    }
    case 'counter':
      return {
        waits: `${w.key} to reach ${w.until} (now ${s.counters[w.key] ?? 0})`,
        on: [],
        role: 'counted by',
      };
    case 'fence': {
      const f = s.sync.fences[w.id];
      const job = f ? s.sync.jobs[f.job] : undefined;
      return { waits: fenceName(s, w.id), on: job ? [job.act] : [], role: 'signalled by' };
    }
  }
}

/** Every blocked activity with what it waits for. */
export function waitLinks(s: State): WaitLink[] {
  const agent = (id: number): string => s.acts.find((a) => a.id === id)?.agent ?? `#${id} (finished)`;
  return s.acts
    .filter((a): a is Activity & { wait: Wait } => a.wait !== null && !waitSatisfied(s, a.wait))
    .map((a) => {
      const d = describe(s, a.wait);
      const on = d.on.filter((x) => x !== a.id || a.wait.k !== 'lock');
      return {
        act: a.id,
        agent: a.agent,
        op: a.op,
        holds: [...a.held],
        waits: d.waits,
        on,
        onAgents: on.map(agent),
        role: d.role,
      };
    });
}

/** A cycle of blocked activities each waiting on the next, or null. */
export function findWaitCycle(links: readonly WaitLink[]): WaitLink[] | null {
  const byAct = new Map(links.map((l) => [l.act, l]));
  for (const start of links) {
    // Depth-first along "waits on", remembering the path to cut the cycle out of it.
    const path: WaitLink[] = [];
    const onPath = new Set<number>();
    const visit = (l: WaitLink): WaitLink[] | null => {
      if (onPath.has(l.act)) return path.slice(path.findIndex((x) => x.act === l.act));
      path.push(l);
      onPath.add(l.act);
      for (const id of l.on) {
        const next = byAct.get(id);
        if (!next) continue;
        const c = visit(next);
        if (c) return c;
      }
      path.pop();
      onPath.delete(l.act);
      return null;
    };
    const c = visit(start);
    if (c) return c;
  }
  return null;
}
