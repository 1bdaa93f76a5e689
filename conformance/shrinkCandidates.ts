// Smaller variants of a program for shrinking a disagreement: drop one step (a mapping only when no
// later step uses its slot), take one page instead of several, start at the slot's first page, use
// device 0, map fewer pages. Each variant differs from the program in one place.
import type { ConfProgram, Step } from './program.js';

function uses(st: Step, slot: number): boolean {
  return 'slot' in st && st.slot === slot;
}

export function shrinkCandidates(p: ConfProgram): Step[][] {
  const out: Step[][] = [];
  const with_ = (i: number, st: Step): void => {
    const steps = [...p.steps];
    steps[i] = st;
    out.push(steps);
  };
  p.steps.forEach((st, i) => {
    const later = p.steps.slice(i + 1);
    if (st.op !== 'mmap_at' || !later.some((x) => uses(x, st.slot)))
      out.push(p.steps.filter((_x, j) => j !== i));
  });
  p.steps.forEach((st, i) => {
    if ('npages' in st && st.op !== 'mmap_at' && st.npages > 1) with_(i, { ...st, npages: 1 });
    if ('pageoff' in st && st.pageoff !== 0) with_(i, { ...st, pageoff: 0 });
    if ('dev' in st && st.dev !== 0) with_(i, { ...st, dev: 0 });
    if (st.op === 'mmap_at' && st.npages > 1) with_(i, { ...st, npages: st.npages - 1 });
    if (st.op === 'mmap_at' && st.shared) with_(i, { ...st, shared: false });
  });
  return out;
}

/** Smaller is better: fewer steps, then fewer pages touched. */
export function size(p: ConfProgram): number {
  return p.steps.length * 1000 + p.steps.reduce((n, st) => n + ('npages' in st ? st.npages : 0), 0);
}
