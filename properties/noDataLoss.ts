import { backingPage } from '../model/mem.js';
import type { Invariant } from './invariant.js';
import { pageName, va } from './where.js';

export const noDataLoss: Invariant = {
  id: 'no-data-loss',
  cls: 'coherence',
  meaning:
    'The page that backs a mapped address for the CPU (before, during and after any migration) holds the last value the program wrote there.',
  reads: ['mm', 'cells', 'pages'],
  check(s) {
    for (const p of s.procs) {
      if (!p.alive) continue;
      for (let vpn = 0; vpn < p.cell.length; vpn++) {
        const c = p.cell[vpn] ?? -1;
        if (c < 0) continue;
        const want = s.cells[c]?.v ?? 0;
        const page = backingPage(s, p.pid, vpn);
        const have = page < 0 ? 0 : (s.phys[page]?.data ?? 0);
        if (have !== want)
          return {
            expected: `${va(p.pid, vpn)} holds ${want} (last write)`,
            actual: `${pageName(s, page)} backs it and holds ${have}`,
            message: `data lost at ${va(p.pid, vpn)}: the backing page does not hold the last value written`,
          };
      }
    }
    return null;
  },
};
