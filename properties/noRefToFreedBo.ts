import type { Invariant } from './invariant.js';
import { pageName } from './where.js';

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
        expected: `${pageName(s, i)} belongs to a live BO`,
        actual: `its BO ${p.zdd} is freed (its VRAM may already back another BO)`,
        message: `use-after-free: ${pageName(s, i)} is in use but its svm_range_bo ${p.zdd} was freed`,
      };
    }
    for (const b of bos)
      if (b.state === 'freed' && b.nodeHolders > 0)
        return {
          expected: `no range holds the node of freed BO ${b.id}`,
          actual: `${b.nodeHolders} range(s) still do`,
          message: `use-after-free: a range's VRAM node points to freed BO ${b.id}`,
        };
    return null;
  },
};
