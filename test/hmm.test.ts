// hmm_range_fault and the notifier sequence protocol, driven directly through the engine.
import { describe, expect, it } from 'vitest';
import { mirror } from '../drivers/mirror.js';
import { initialState, procTable, spawn, stepActivity } from '../model/engine.js';
import type { HmmResult } from '../model/kernel/hmm.js';
import { notifierInsert, readBegin, readRetry } from '../model/notifier.js';
import type { Env } from '../model/proc.js';
import type { Activity, State } from '../model/types.js';
import { oneGpu } from './helpers.js';

function envFor(s: State): Env {
  return {
    s,
    act: null as unknown as Activity,
    events: [],
    stats: {},
    faults: [],
    procs: procTable(mirror),
    drv: mirror,
    lockEdges: new Map(),
    step: 0,
  };
}

/** Runs a procedure to completion (no other activity runs) and returns its result. */
function callProc(env: Env, fn: string, args: Record<string, unknown>): unknown {
  let result: unknown;
  const a = spawn(env.s, 'test', -1, 'run_op', {});
  a.frames = [
    { fn: 'test_root', pc: 'start', l: {}, r: undefined },
    { fn, pc: 'start', l: args, r: undefined },
  ];
  const procs = new Map(env.procs);
  procs.set('test_root', {
    name: 'test_root',
    steps: {
      start: (_e, _l, r) => {
        result = r;
        return { k: 'ret', v: 0 };
      },
    },
  });
  const e2 = { ...env, procs };
  for (let i = 0; i < 100; i++) if (stepActivity(e2, a) === 'done') return result;
  throw new Error('procedure did not finish');
}

function setup(): { env: Env; nid: number } {
  const s = initialState(oneGpu, mirror);
  const env = envFor(s);
  callProc(env, 'sys_mmap', { pid: 0, pages: 2, prot: 'rw', shared: false });
  callProc(env, 'sys_mmap', { pid: 0, pages: 1, prot: 'r', shared: false });
  const nid = notifierInsert(s, 0, 0, 8, 0);
  return { env, nid };
}

const hmm = (env: Env, nid: number, start: number, req: number[]): HmmResult =>
  callProc(env, 'hmm_range_fault', {
    nid,
    seq: readBegin(env.s, nid),
    pid: 0,
    start,
    n: req.length,
    req,
    owner: 1,
  }) as HmmResult;

describe('hmm_range_fault', () => {
  it('snapshots pages before the first REQ_FAULT page without faulting them (seed 000)', () => {
    const { env, nid } = setup();
    const r = hmm(env, nid, 0, [0, 1]);
    expect(r.err).toBe('0');
    // Page 0 not requested and empty: not valid, untouched. Page 1 faulted for read: the zero page.
    expect(r.pfns[0]).toBe(-1);
    expect(r.pfns[1]).toBe(0);
    expect(env.s.procs[0]?.pt[0]).toBeNull();
  });

  it('faults from the first REQ_FAULT page to the end of its VMA, as hmm_vma_fault() loops to end', () => {
    const { env, nid } = setup();
    // mm/hmm.c hmm_vma_handle_pte() -> hmm_vma_fault(addr, end): every page of [addr, end) of the
    // walked VMA/pmd is faulted with the first page's flags, requested or not; the next VMA is not.
    const r = hmm(env, nid, 0, [1, 0, 0]);
    expect(r.err).toBe('0');
    expect(r.pfns[0]).toBe(0);
    expect(r.pfns[1]).toBe(0);
    expect(env.s.procs[0]?.pt[1]).toEqual({ t: 'p', page: 0, w: false });
    expect(r.pfns[2]).toBe(-1);
    expect(env.s.procs[0]?.pt[2]).toBeNull();
  });

  it('write fault allocates a private page and reports it writable', () => {
    const { env, nid } = setup();
    const r = hmm(env, nid, 0, [2]);
    expect(r.err).toBe('0');
    const pfn = r.pfns[0] ?? -1;
    expect(pfn & 1).toBe(1);
    expect(pfn >> 1).toBeGreaterThan(0);
  });

  it('returns -EFAULT outside a VMA only when a fault is requested, else HMM_PFN_ERROR', () => {
    const { env, nid } = setup();
    expect(hmm(env, nid, 5, [1]).err).toBe('EFAULT');
    const snap = hmm(env, nid, 5, [0]);
    expect(snap.err).toBe('0');
    expect(snap.pfns[0]).toBe(-2);
  });

  it('returns -EPERM for a write fault on a read-only VMA', () => {
    const { env, nid } = setup();
    expect(hmm(env, nid, 2, [2]).err).toBe('EPERM');
    expect(hmm(env, nid, 2, [1]).err).toBe('0');
  });

  it('returns -EBUSY when the interval sequence moved since read_begin', () => {
    const { env, nid } = setup();
    const seq = readBegin(env.s, nid) as number;
    callProc(env, 'sys_madvise_dontneed', { pid: 0, start: 0, end: 1 });
    expect(readRetry(env.s, nid, seq)).toBe(true);
    const r = callProc(env, 'hmm_range_fault', {
      nid,
      seq,
      pid: 0,
      start: 0,
      n: 1,
      req: [1],
      owner: 1,
    }) as HmmResult;
    expect(r.err).toBe('EBUSY');
  });
});
