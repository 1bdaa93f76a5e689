import type { FindingOf, Invariant } from './invariant.js';

/** freed-while-used: being freed while pages or ranges still use it; count: refcount off. */
export type BoRefcountFinding = FindingOf<
  'freed-while-used' | 'count',
  { bo: number; ref: number; state: string; pages: number; nodeHolders: number }
>;

export const boRefcount: Invariant = {
  id: 'bo-refcount',
  cls: 'refcount',
  meaning:
    "A VRAM BO's refcount equals the live device pages allocated from it plus the ranges holding its node, and it is being freed exactly when that count is zero.",
  reads: ['drv', 'pages'],
  check(s, _events, drv) {
    for (const b of drv.bos?.(s) ?? []) {
      if (b.state === 'freed') continue;
      let pages = 0;
      for (const p of b.slots) if (!s.phys[p]?.free && s.phys[p]?.zdd === b.id) pages++;
      const want = pages + b.nodeHolders;
      if (b.state === 'live' && b.ref === want && want > 0) continue;
      if (b.state === 'releasing' && want === 0) continue;
      return {
        code: want > 0 && b.state !== 'live' ? 'freed-while-used' : 'count',
        at: { bo: b.id },
        data: { bo: b.id, ref: b.ref, state: b.state, pages, nodeHolders: b.nodeHolders },
      } satisfies BoRefcountFinding;
    }
    return null;
  },
};
