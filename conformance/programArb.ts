// fast-check generator of conformance programs. Up to four slots sit at fixed pages of the arena,
// a few pages apart (so ranges that run past a slot reach the gap or the next slot) and one of them
// across a pmd boundary (page 512); every program starts by mapping slot 0. Steps are drawn as raw
// choices and resolved against the slots mapped so far, so programs stay meaningful as they shrink.
import fc from 'fast-check';
import type { ConfProgram, Step, StepOp } from './program.js';

/** Arena page of each slot; slot 2 straddles the pmd boundary at page 512 when it has 7 or more pages. */
export const SLOT_PAGES: readonly number[] = [448, 460, 506, 519];
export const MAX_SLOT_PAGES = 10;
const MAX_FORKS = 2;

type Kind = Exclude<StepOp, 'mmap_at'> | 'mmap';

const WEIGHTS: Record<Kind, number> = {
  mmap: 3,
  munmap: 2,
  mprotect: 4,
  madvise_dontneed: 3,
  write: 12,
  read: 8,
  fork: 2,
  dm_read: 8,
  dm_write: 6,
  dm_migrate_dev: 10,
  dm_migrate_sys: 6,
  dm_snapshot: 10,
  dm_exclusive: 5,
  dm_check_exclusive: 4,
  dm_release: 2,
  dm_close: 2,
};

interface Raw {
  kind: Kind;
  slot: number;
  dev: number;
  off: number;
  n: number;
  value: number;
  prot: 'none' | 'r' | 'rw';
  shared: boolean;
  wide: boolean;
}

const protArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant('rw' as const) },
  { weight: 3, arbitrary: fc.constant('r' as const) },
  { weight: 1, arbitrary: fc.constant('none' as const) },
);

const rawArb: fc.Arbitrary<Raw> = fc.record({
  kind: fc.oneof(
    ...Object.entries(WEIGHTS).map(([k, w]) => ({ weight: w, arbitrary: fc.constant(k as Kind) })),
  ),
  slot: fc.nat({ max: 3 }),
  dev: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.constant(1) },
    { weight: 3, arbitrary: fc.constant(2) },
    { weight: 1, arbitrary: fc.constant(3) },
  ),
  off: fc.nat({ max: 63 }),
  n: fc.nat({ max: 63 }),
  value: fc.integer({ min: 1, max: 99_999 }),
  prot: protArb,
  shared: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  wide: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

/** Resolves raw choices into steps: slots that exist, offsets mostly inside them, at most two forks. */
export function buildSteps(
  first: { n: number; prot: Raw['prot']; shared: boolean },
  raws: readonly Raw[],
): Step[] {
  const size: Array<number | undefined> = [];
  const steps: Step[] = [];
  const mmap = (slot: number, n: number, prot: Raw['prot'], shared: boolean): void => {
    const npages = 1 + (n % MAX_SLOT_PAGES);
    size[slot] = npages;
    steps.push({ op: 'mmap_at', slot, page: SLOT_PAGES[slot] ?? 0, npages, prot, shared });
  };
  mmap(0, first.n, first.prot, first.shared);
  let forks = 0;
  for (const r of raws) {
    if (r.kind === 'mmap') {
      const slot = SLOT_PAGES.findIndex((_p, i) => size[i] === undefined);
      if (slot >= 0) mmap(slot, r.n, r.prot, r.shared);
      continue;
    }
    if (r.kind === 'fork') {
      if (forks++ < MAX_FORKS) steps.push({ op: 'fork' });
      continue;
    }
    if (r.kind === 'dm_release' || r.kind === 'dm_close') {
      steps.push({ op: r.kind, dev: r.dev });
      continue;
    }
    const mapped = size.flatMap((n, i) => (n === undefined ? [] : [i]));
    const slot = mapped[r.slot % mapped.length] ?? 0;
    const n = size[slot] ?? 1;
    const pageoff = r.wide ? (r.off % (n + 6)) - 2 : r.off % n;
    const npages = r.wide ? r.n % 9 : 1 + (r.n % Math.min(4, n));
    const at = { slot, pageoff };
    switch (r.kind) {
      case 'write':
        steps.push({ op: 'write', ...at, value: r.value });
        break;
      case 'read':
        steps.push({ op: 'read', ...at });
        break;
      case 'munmap':
      case 'madvise_dontneed':
        steps.push({ op: r.kind, ...at, npages });
        break;
      case 'mprotect':
        steps.push({ op: 'mprotect', ...at, npages, prot: r.prot });
        break;
      case 'dm_write':
        steps.push({ op: 'dm_write', dev: r.dev, ...at, npages, value: r.value });
        break;
      default:
        steps.push({ op: r.kind, dev: r.dev, ...at, npages });
    }
  }
  return steps;
}

export const programStepsArb: fc.Arbitrary<Step[]> = fc
  .tuple(
    fc.record({ n: fc.nat({ max: 63 }), prot: protArb, shared: rawArb.map((r) => r.shared) }),
    fc.array(rawArb, { minLength: 3, maxLength: 15 }),
  )
  .map(([first, raws]) => buildSteps(first, raws));

/** N programs for a seed, numbered from `firstId`: the same seed always gives the same programs. */
export function generatePrograms(n: number, seed: number, firstId = 1): ConfProgram[] {
  if (n <= 0) return [];
  return fc.sample(programStepsArb, { seed, numRuns: n }).map((steps, i) => ({ id: firstId + i, steps }));
}
