// Issue 17's triage: each program below broke an invariant on the reference driver (seed 004's
// design) in a soak, and was traced to a model or driver defect, now fixed. Each test checks the
// outcome the fix gives, not only that nothing breaks; where the kernel really behaves the old way
// (kfd's COW child after its parent exited), the catalog entry that keeps that behaviour is caught.
import { describe, expect, it } from 'vitest';
import { execute } from '../check/execute.js';
import { selfcheck } from '../check/selfcheck.js';
import { kfdCowOrphanSigbus } from '../drivers/broken/kfdCowOrphanSigbus.js';
import { reference } from '../drivers/reference.js';
import { lockFree, tryLock, unlock } from '../model/locks.js';
import { initialState } from '../model/engine.js';
import type { Env } from '../model/proc.js';
import type { Program } from '../model/program.js';
import type { Activity, Config } from '../model/types.js';
import { setAttr } from './helpers.js';

const gpus = (...vram: number[]): Config => ({
  vaPages: 8,
  sysPages: 40,
  maxProcs: 3,
  gpus: vram.map((v) => ({ mem: 'private' as const, vram: v, hive: 0 })),
});

describe('reference driver, after the triage', () => {
  it('eviction leaves a BO page collected by a CPU fault in flight alone and keeps its VRAM (fork, seed 1)', () => {
    const p: Program = {
      config: gpus(2),
      ops: [
        { op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false },
        { op: 'cpu_read', on: 1, proc: 0, vma: 0, off: 0 },
        { op: 'gpu_read', gpu: 0, proc: 0, vma: 0, off: 0 },
        { op: 'mmap', on: 1, proc: 0, pages: 2, prot: 'rw', shared: false },
        { op: 'cpu_write', on: 0, proc: 0, vma: 0, off: 0 },
        { op: 'fork', on: 1, proc: 0 },
        { op: 'gpu_read', gpu: 0, proc: 3, vma: 0, off: 0 },
      ],
      schedule: [1, 2, 2, 1, 1, 0, 0, 1, 0, 1, 0, 1],
      faults: [0, 0, 256],
    };
    const r = execute(reference, p);
    expect(r.violation).toBeNull();
    expect(r.stats.get('eviction retry (pages busy)') ?? 0).toBeGreaterThan(0);
  });

  it('a PROT_NONE VMA beside the faulting page is skipped, not a fatal -EFAULT (upstream validate_and_map)', () => {
    const p: Program = {
      config: gpus(1),
      ops: [
        { op: 'mmap', on: 0, proc: 0, pages: 2, prot: 'rw', shared: false },
        { op: 'gpu_read', gpu: 0, proc: 0, vma: 0, off: 0 },
        { op: 'fork', on: 0, proc: 0 },
        { op: 'gpu_write', gpu: 0, proc: 0, vma: 0, off: 0 },
        { op: 'mprotect', on: 0, proc: 0, vma: 0, off: 1, len: 1, prot: 'none' },
      ],
      schedule: [],
      faults: [],
    };
    const r = execute(reference, p, { trace: true });
    expect(r.violation).toBeNull();
    const events = r.trace.flatMap((t) => t.events);
    expect(events.filter((e) => e.e === 'gpu-error')).toEqual([]);
    expect(events.some((e) => e.e === 'gpu-write')).toBe(true);
  });

  it('set_attr NO_ACCESS takes the GPU mapping away before it returns', () => {
    const p: Program = {
      config: gpus(1),
      ops: [
        { op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false },
        setAttr([{ t: 'noaccess', v: 0 }]),
        { op: 'gpu_write', gpu: 0, proc: 0, vma: 0, off: 0 },
      ],
      schedule: [0, 1, 1],
      faults: [],
    };
    const r = execute(reference, p);
    expect(r.violation).toBeNull();
    expect(r.state.gpuPt[0]?.[0]?.[0] ?? null).toBeNull();
  });

  it('set_attr GPU_RO makes every GPU that maps the range read-only, not only aip and prefetch GPUs', () => {
    const p: Program = {
      config: gpus(1, 1),
      ops: [
        { op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false },
        { op: 'gpu_write', gpu: 0, proc: 0, vma: 0, off: 0 },
        setAttr([
          { t: 'aip', v: 1 },
          { t: 'set_flags', v: 72 },
        ]),
      ],
      schedule: [],
      faults: [],
    };
    const r = execute(reference, p);
    expect(r.violation).toBeNull();
    const pte = r.state.gpuPt[0]?.[0]?.[0] ?? null;
    if (pte) expect(pte.w).toBe(false);
  });

  it('a fork child whose parent exited gets its page migrated back, not SIGBUS', () => {
    const p: Program = {
      config: gpus(1),
      ops: [
        { op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false },
        { op: 'fork', on: 0, proc: 0 },
        { op: 'exit', on: 0, proc: 0 },
        { op: 'gpu_write', gpu: 0, proc: 0, vma: 0, off: 0 },
        { op: 'cpu_write', on: 0, proc: 0, vma: 0, off: 0 },
      ],
      schedule: [0, 1, 1],
      faults: [],
    };
    const ok = execute(reference, p);
    expect(ok.violation).toBeNull();
    expect(ok.stats.get('migrate_to_ram of a page no range owns')).toBe(1);
    // Upstream kfd (mmget_not_zero on the BO's mm) gives the child SIGBUS on the same program.
    expect(execute(kfdCowOrphanSigbus, p).violation?.invariant).toBe('permitted-access-served');
  });

  it('two processes sharing VRAM pages after fork fault on GPUs of two hives without an ABBA on their svms locks', () => {
    // Each fault's hmm_range_fault migrates back a page whose BO is the other process's: kfd's
    // svm_migrate_to_ram would take that process's svms->lock under its own (soak, fork suite).
    const p = {
      config: {
        vaPages: 8,
        sysPages: 40,
        maxProcs: 3,
        gpus: [
          { mem: 'private', vram: 2, hive: 1 },
          { mem: 'private', vram: 2, hive: 0 },
        ],
      },
      ops: [
        { op: 'mmap', on: 0, proc: 0, pages: 2, prot: 'rw', shared: false },
        { op: 'gpu_write', gpu: 1, proc: 0, vma: 0, off: 0 },
        { op: 'gpu_read', gpu: 0, proc: 0, vma: 0, off: 0 },
        { op: 'fork', on: 0, proc: 0 },
        { op: 'cpu_read', on: 0, proc: 3, vma: 0, off: 0 },
        { op: 'gpu_read', gpu: 1, proc: 3, vma: 0, off: 0 },
        { op: 'mmap', on: 1, proc: 0, pages: 1, prot: 'rw', shared: false },
      ],
      schedule: [0, 0, 0, 3],
      faults: [0, 1],
    } as Program;
    const r = execute(reference, p);
    expect(r.violation).toBeNull();
    expect(r.stats.get('migrate_to_ram of a page no range owns') ?? 0).toBeGreaterThan(0);
  });

  it('selfcheck catches kfd-cow-orphan-sigbus as an access bug within 60 s in at most 8 operations', () => {
    const [e] = selfcheck([kfdCowOrphanSigbus], { secondsPerEntry: 60, seeds: 1, referenceRuns: 1 }).entries;
    expect(e?.invariant).toBe('permitted-access-served');
    expect(e?.expectedClass).toBe(true);
    expect(e?.shrunkOps).toBeLessThanOrEqual(8);
  });
});

describe('rw_semaphore fairness (model/locks.ts)', () => {
  const env = (id: number, s = initialState(gpus(1), reference)): Env =>
    ({
      s,
      act: { id, agent: `cpu${id}`, held: [], wait: null } as unknown as Activity,
      lockEdges: new Map(),
      events: [],
    }) as unknown as Env;

  it('a new reader queues behind a writer that waits, so a second read of the same lock deadlocks as in Linux', () => {
    const a = env(1);
    const s = a.s;
    expect(tryLock(a, 'mmap_lock:0', 'r')).toBe(true);
    // A writer blocks on the lock the reader holds.
    const w = {
      id: 2,
      agent: 'cpu2',
      held: [],
      wait: { k: 'lock', name: 'mmap_lock:0', mode: 'w' },
    } as unknown as Activity;
    s.acts.push(w);
    expect(lockFree(s, 'mmap_lock:0', 'r')).toBe(false);
    expect(tryLock(env(3, s), 'mmap_lock:0', 'r')).toBe(false);
    // Without a queued writer, readers share.
    s.acts.pop();
    expect(tryLock(env(3, s), 'mmap_lock:0', 'r')).toBe(true);
    unlock(a, 'mmap_lock:0');
  });
});
