import { backingPage } from '../model/mem.js';
import type { FindingOf, Invariant } from './invariant.js';
import { pageRef, type PageRef } from './pageRef.js';

export type NoDataLossFinding = FindingOf<
  'lost',
  { pid: number; vpn: number; want: number; have: number; page: PageRef }
>;

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
            code: 'lost',
            at: { pid: p.pid, vpn, page },
            data: { pid: p.pid, vpn, want, have, page: pageRef(s, page) },
          } satisfies NoDataLossFinding;
      }
    }
    return null;
  },
};
