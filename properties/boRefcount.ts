import type { Invariant } from './invariant.js';

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
        expected: `BO ${b.id}: ${want} reference${want === 1 ? '' : 's'} (${pages} device page(s), ${b.nodeHolders} range node(s))${want === 0 ? ', being freed' : ''}`,
        actual: `refcount ${b.ref}, ${b.state}`,
        message:
          want > 0 && b.state !== 'live'
            ? `BO ${b.id} is being freed while ${pages} page(s) and ${b.nodeHolders} range(s) still use it`
            : `svm_range_bo refcount of BO ${b.id} is ${b.ref}, ${want} users hold it`,
      };
    }
    return null;
  },
};
