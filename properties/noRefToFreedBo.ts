import type { FindingOf, Invariant } from './invariant.js';
import { pageRef, type PageRef } from './pageRef.js';

/** page: a live device page of a freed BO; node: ranges still holding a freed BO's node. */
export type NoRefToFreedBoFinding =
  FindingOf<'page', { page: PageRef; bo: number }> | FindingOf<'node', { bo: number; nodeHolders: number }>;

export const noRefToFreedBo: Invariant = {
  id: 'no-ref-to-freed-bo',
  cls: 'refcount',
  meaning: 'No live device page, and no range, refers to a VRAM BO that has been freed.',
  reads: ['drv', 'pages'],
  check(s, _events, drv) {
    const bos = drv.bos?.(s) ?? [];
    if (!bos.some((b) => b.state === 'freed')) return null;
    const freed = new Set(bos.filter((b) => b.state === 'freed').map((b) => b.id));
    for (let i = 0; i < s.phys.length; i++) {
      const p = s.phys[i];
      if (!p || p.gpu < 0 || p.free || !freed.has(p.zdd)) continue;
      return {
        code: 'page',
        at: { page: i, bo: p.zdd },
        data: { page: pageRef(s, i), bo: p.zdd },
      } satisfies NoRefToFreedBoFinding;
    }
    for (const b of bos)
      if (b.state === 'freed' && b.nodeHolders > 0)
        return {
          code: 'node',
          at: { bo: b.id },
          data: { bo: b.id, nodeHolders: b.nodeHolders },
        } satisfies NoRefToFreedBoFinding;
    return null;
  },
};
