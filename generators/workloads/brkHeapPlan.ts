// Seed 000's workload (000_a6ddbdfb26957c57.txt): "the heap will be large single VMAs", so a
// migration window "is just going to fault a whole bunch of unrelated malloc objects over to the
// GPU". A program mallocs a few hundred objects of 16 B to 64 KiB into the brk heap (one VMA of
// more than 2 MiB), a second thread into its own arena, and its three large buffers (128 KiB and
// more) get VMAs of their own. Then rounds of a CPU phase and a GPU phase:
// - GPU-only objects: written once by the CPU (malloc + initialise), then only by the GPU; their
//   neighbours on the same pages are CPU-only objects the CPU keeps using;
// - a producer/consumer buffer: the CPU fills it, the GPU reads it;
// - read-mostly tables (one large, a few small ones in the heap): the GPU reads them every phase,
//   the CPU now and then;
// - a result array the GPU writes and the CPU reads back;
// - a fork after the first round (a helper process: the child reads and writes a few heap objects
//   and exits);
// - while each GPU phase runs, the second thread goes on writing half of the heap's hot CPU
//   objects, and mallocs, fills and frees a scratch buffer of 128 KiB or more (mmap, munmap).
import { PAGE_BYTES } from '../../model/costs/costs.js';
import { GlibcArena, MMAP_THRESHOLD, type Chunk } from './glibcArena.js';
import type { Rng } from './rng.js';
import type { PageRef, PlanStep, PlanVma, WorkloadPlan } from './workloadPlan.js';

type Kind = 'gpu' | 'cpu' | 'table';

interface Obj {
  readonly kind: Kind;
  readonly vma: number;
  readonly chunk: Chunk;
}

const HEAP = 0;
const BUFFER = 1;
const TABLE = 2;
const RESULT = 3;
const ARENA = 4;
/** The heap grows until this much is in use: more than a 2 MiB window. */
const HEAP_BYTES = 2200 * 1024;
const ARENA_OBJECTS = 48;
const ROUNDS = 3;
/** glibc's per-thread heap reservation is 64 MiB; scaled to what the address space holds. */
const ARENA_RESERVE = 64;

/** The pages an object's bytes lie on. */
function pagesOf(c: Chunk): number[] {
  const first = Math.floor(c.start / PAGE_BYTES);
  const last = Math.floor((c.start + c.size - 1) / PAGE_BYTES);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** 16 B to 64 KiB, uniform in log size (malloc sizes spread over orders of magnitude). */
function objectSize(r: Rng): number {
  return Math.max(16, Math.floor(16 * 2 ** ((r.int(1 << 16) / (1 << 16)) * 12)));
}

function kindOf(r: Rng, gpuShare: number): Kind {
  const x = r.int(100);
  return x < gpuShare ? 'gpu' : x < gpuShare + 4 ? 'table' : 'cpu';
}

export function brkHeapPlan(r: Rng): WorkloadPlan {
  const heap = new GlibcArena();
  const arena = new GlibcArena();
  const objs: Obj[] = [];
  const steps: PlanStep[] = [];
  const cpu = (on: number, vma: number, off: number, write: boolean, proc = 0): void => {
    steps.push({ k: 'cpu', on, proc, vma, off, write });
  };
  const gpu = (vma: number, off: number, write: boolean): void => {
    steps.push({ k: 'gpu', gpu: 0, proc: 0, vma, off, write });
  };
  // Allocation and initialisation, in program order: each new object's pages are written (malloc
  // writes the chunk header, the program initialises the object); a page is populated once.
  const populated = new Set<string>();
  const init = (on: number, o: Obj): void => {
    for (const p of pagesOf(o.chunk)) {
      const key = `${o.vma}:${p}`;
      if (populated.has(key)) continue;
      populated.add(key);
      cpu(on, o.vma, p, true);
    }
  };
  while (heap.used() < HEAP_BYTES) {
    const o = { kind: kindOf(r, 12), vma: HEAP, chunk: heap.malloc(objectSize(r)) };
    objs.push(o);
    init(0, o);
    // Now and then a CPU object dies and its chunk goes back to the free lists.
    if (r.chance(0.1)) {
      const victims = objs.filter((x) => x.kind === 'cpu' && x.vma === HEAP);
      const v = victims[r.int(victims.length)];
      if (v) {
        objs.splice(objs.indexOf(v), 1);
        heap.release(v.chunk);
      }
    }
  }
  for (let i = 0; i < ARENA_OBJECTS; i++) {
    const o = { kind: kindOf(r, 20), vma: ARENA, chunk: arena.malloc(objectSize(r)) };
    objs.push(o);
    init(1, o);
  }
  const big = (bytes: number): number => Math.max(MMAP_THRESHOLD, bytes) / PAGE_BYTES;
  const vmas: PlanVma[] = [
    { pages: heap.pages(), reserve: 0, what: 'brk heap' },
    { pages: big(128 * 1024 + 16 * 1024 * r.int(5)), reserve: 0, what: 'producer/consumer buffer (mmap)' },
    { pages: big(128 * 1024 + 16 * 1024 * r.int(5)), reserve: 0, what: 'read-mostly table (mmap)' },
    { pages: big(128 * 1024 + 16 * 1024 * r.int(5)), reserve: 0, what: 'result array (mmap)' },
    { pages: arena.pages(), reserve: ARENA_RESERVE, what: 'thread arena' },
  ];
  const pagesOfVma = (v: number): number[] => Array.from({ length: vmas[v]?.pages ?? 0 }, (_, i) => i);
  for (const v of [BUFFER, TABLE, RESULT]) for (const p of pagesOfVma(v)) cpu(0, v, p, true);

  // The CPU's working set: a fifth of its objects are hot (touched every CPU phase).
  const hot = objs.filter((o) => o.kind === 'cpu' && r.chance(0.2));
  const tables = objs.filter((o) => o.kind === 'table');
  const gpuObjs = objs.filter((o) => o.kind === 'gpu');
  const resultSample = pagesOfVma(RESULT).filter(() => r.chance(0.25));
  for (let round = 0; round < ROUNDS; round++) {
    // CPU phase: the hot objects (their first and last page), the producer fills the buffer,
    // results of the last GPU phase are read, a table is read now and then.
    for (const o of hot) {
      const ps = pagesOf(o.chunk);
      for (const p of new Set([ps[0] ?? 0, ps[ps.length - 1] ?? 0]))
        cpu(o.vma === ARENA ? 1 : 0, o.vma, p, true);
    }
    for (const p of pagesOfVma(BUFFER)) cpu(0, BUFFER, p, true);
    if (round > 0) for (const p of resultSample) cpu(0, RESULT, p, false);
    for (const t of tables) if (r.chance(0.3)) cpu(0, t.vma, pagesOf(t.chunk)[0] ?? 0, false);
    if (round === 1) {
      // The helper process: fork, touch a few heap objects in the child, exit.
      steps.push({ k: 'fork', on: 0, proc: 0 });
      for (const o of hot.slice(0, 4)) cpu(0, o.vma, pagesOf(o.chunk)[0] ?? 0, false, 1);
      for (const o of hot.slice(4, 6)) cpu(0, o.vma, pagesOf(o.chunk)[0] ?? 0, true, 1);
      steps.push({ k: 'exit', on: 0, proc: 1 });
    }
    // GPU phase: one kernel reads the tables and the buffer, updates its objects, writes results.
    const touched: { vma: number; off: number; write: boolean }[] = [];
    for (const p of pagesOfVma(TABLE)) touched.push({ vma: TABLE, off: p, write: false });
    for (const t of tables)
      for (const p of pagesOf(t.chunk)) touched.push({ vma: t.vma, off: p, write: false });
    for (const p of pagesOfVma(BUFFER)) touched.push({ vma: BUFFER, off: p, write: false });
    for (const o of gpuObjs)
      for (const p of pagesOf(o.chunk)) touched.push({ vma: o.vma, off: p, write: true });
    for (const p of pagesOfVma(RESULT)) touched.push({ vma: RESULT, off: p, write: true });
    // One access per page (a store where the kernel writes any of its objects there).
    const once = new Map<string, { vma: number; off: number; write: boolean }>();
    for (const t of touched) {
      const k = `${t.vma}:${t.off}`;
      const was = once.get(k);
      once.set(k, { vma: t.vma, off: t.off, write: t.write || (was?.write ?? false) });
    }
    const pages: PageRef[] = [...once.values()].map((t) => ({ proc: 0, vma: t.vma, off: t.off }));
    steps.push({ k: 'launch', gpu: 0, proc: 0, pages });
    for (const t of once.values()) gpu(t.vma, t.off, t.write);
    // Meanwhile the second thread goes on with the heap's hot objects: the CPU-only neighbours of
    // the GPU's objects, touched while the kernel runs.
    // It also mallocs a scratch buffer of MMAP_THRESHOLD or more (its own mapping), fills it
    // and frees it (munmap): mmap_lock taken for write while the GPU faults.
    const scratch = big(128 * 1024 + 16 * 1024 * r.int(5));
    steps.push({ k: 'mmap', on: 1, proc: 0, pages: scratch, during: true });
    for (const o of hot)
      if (o.vma === HEAP && r.chance(0.5))
        steps.push({
          k: 'cpu',
          on: 1,
          proc: 0,
          vma: HEAP,
          off: pagesOf(o.chunk)[0] ?? 0,
          write: true,
          during: true,
        });
    for (let p = 0; p < scratch; p++)
      steps.push({ k: 'cpu', on: 1, proc: 0, vma: vmas.length, off: p, write: true, during: true });
    steps.push({ k: 'munmap', on: 1, proc: 0, pages: scratch, during: true });
  }
  return { vmas, steps, gpus: 1, hives: [0] };
}
