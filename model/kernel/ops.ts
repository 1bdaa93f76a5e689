// Program operations as procedures: each resolves its relative target (the n-th live process, its
// n-th VMA, an offset modulo the VMA) against the state at the moment it starts, then calls the
// kernel path a real program would reach.
import { call, defineProc, emit, ret, type Env, type StepResult } from '../proc.js';
import { driverProcName } from '../driver.js';
import { lockNames } from '../locks.js';
import type { Op, OpKind } from '../ops.js';
import type { Process, State, Vma } from '../types.js';

function liveProc(s: State, idx: number): Process | undefined {
  let n = 0;
  for (const p of s.procs) if (p.alive) n++;
  if (n === 0) return undefined;
  let k = idx % n;
  for (const p of s.procs) if (p.alive && k-- === 0) return p;
  return undefined;
}

function vmaOf(p: Process, idx: number): Vma | undefined {
  return p.vmas.length ? p.vmas[idx % p.vmas.length] : undefined;
}

/** An access lands inside the VMA or just past its end (which may be outside any VMA: SIGSEGV). */
function accessVpn(s: State, v: Vma, off: number): number {
  return Math.min(v.start + (off % (v.end - v.start + 1)), s.cfg.vaPages - 1);
}

function rangeOf(s: State, v: Vma, off: number, len: number): [number, number] {
  const start = v.start + (off % (v.end - v.start));
  return [start, Math.min(start + len, s.cfg.vaPages)];
}

function skip(env: Env, op: Op, why: string): StepResult {
  emit(env, { e: 'syscall', op: op.op, pid: -1, err: 'SKIP', detail: why });
  return ret(0);
}

type Resolved = { fn: string; args: Record<string, unknown> } | string;
type Resolver<K extends OpKind> = (s: State, o: Extract<Op, { op: K }>, pid: number, p: Process) => Resolved;

/** Operations on a VMA of the process: the n-th VMA (modulo how many there are), or why there is none. */
function onVma(p: Process, idx: number, f: (v: Vma) => Resolved): Resolved {
  const v = vmaOf(p, idx);
  return v ? f(v) : 'process has no mapping';
}

const gpuOf = (s: State, g: number): number => g % s.cfg.gpus.length;

// A table per operation kind rather than a ts-pattern match per call: the mapped type keeps the
// compile-time exhaustiveness (a kind without an entry does not compile), and starting an operation,
// which the explorer does for every transition it tries, builds no matcher.
const RESOLVERS: { [K in OpKind]: Resolver<K> } = {
  mmap: (_s, o, pid) => ({ fn: 'sys_mmap', args: { pid, pages: o.pages, prot: o.prot, shared: o.shared } }),
  fork: (_s, _o, pid) => ({ fn: 'sys_fork', args: { pid } }),
  exit: (_s, _o, pid) => ({ fn: 'sys_exit', args: { pid } }),
  munmap: (s, o, pid, p) =>
    onVma(p, o.vma, (v) => {
      const [start, end] = rangeOf(s, v, o.off, o.len);
      return { fn: 'sys_munmap', args: { pid, start, end } };
    }),
  mprotect: (s, o, pid, p) =>
    onVma(p, o.vma, (v) => {
      const [start, end] = rangeOf(s, v, o.off, o.len);
      return { fn: 'sys_mprotect', args: { pid, start, end, prot: o.prot } };
    }),
  madvise_dontneed: (s, o, pid, p) =>
    onVma(p, o.vma, (v) => {
      const [start, end] = rangeOf(s, v, o.off, o.len);
      return { fn: 'sys_madvise_dontneed', args: { pid, start, end } };
    }),
  cpu_read: (s, o, pid, p) =>
    onVma(p, o.vma, (v) => ({ fn: 'cpu_access', args: { pid, vpn: accessVpn(s, v, o.off), write: false } })),
  cpu_write: (s, o, pid, p) =>
    onVma(p, o.vma, (v) => ({ fn: 'cpu_access', args: { pid, vpn: accessVpn(s, v, o.off), write: true } })),
  gpu_read: (s, o, pid, p) =>
    onVma(p, o.vma, (v) => ({
      fn: 'gpu_access',
      args: { gpu: gpuOf(s, o.gpu), pid, vpn: accessVpn(s, v, o.off), write: false },
    })),
  gpu_write: (s, o, pid, p) =>
    onVma(p, o.vma, (v) => ({
      fn: 'gpu_access',
      args: { gpu: gpuOf(s, o.gpu), pid, vpn: accessVpn(s, v, o.off), write: true },
    })),
  migrate: (s, o, pid, p) =>
    onVma(p, o.vma, (v) => {
      const [start, end] = rangeOf(s, v, o.off, o.len);
      return {
        fn: driverProcName('migrate'),
        args: { gpu: gpuOf(s, o.gpu), pid, start, n: end - start, to: o.to },
      };
    }),
};

/** Resolves an operation to the kernel procedure it runs, or a reason it does not apply. */
export function resolveOp(s: State, op: Op): Resolved {
  const p = liveProc(s, op.proc);
  if (!p) return 'no live process';
  return (RESOLVERS[op.op] as Resolver<OpKind>)(s, op as never, p.pid, p);
}

/**
 * Everything resolveOp reads from the state, as a string: two states with the same key resolve
 * every operation alike (the explorer memoizes resolutions on it). Keep it in step with resolveOp.
 */
export function resolutionKey(s: State): string {
  let key = '';
  for (const p of s.procs) {
    if (!p.alive) continue;
    key += `${p.pid}:`;
    for (const v of p.vmas) key += `${v.start}-${v.end},`;
    key += ';';
  }
  return key;
}

/** The root procedure of an activity started by a program operation. */
export const runOp = defineProc<{ op: Op }>('run_op', {
  start(env, l) {
    const r = resolveOp(env.s, l.op);
    if (typeof r === 'string') return skip(env, l.op, r);
    return call(r.fn, r.args, 'done');
  },
  done() {
    return ret(0);
  },
});

/** Which agent (CPU thread or GPU queue) issues an operation. */
export function agentOf(op: Op, gpus: number): string {
  return 'gpu' in op && (op.op === 'gpu_read' || op.op === 'gpu_write')
    ? gpuAgent(op.gpu % gpus)
    : cpuAgent(op.on);
}

// Agent names built once each (every run names its agents afresh).
const gpuAgent = lockNames('gpu');
const cpuAgent = lockNames('cpu');
