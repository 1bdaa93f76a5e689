// Program operations as procedures: each resolves its relative target (the n-th live process, its
// n-th VMA, an offset modulo the VMA) against the state at the moment it starts, then calls the
// kernel path a real program would reach.
import { call, defineProc, emit, ret, type Env, type StepResult } from '../proc.js';
import type { Op } from '../ops.js';
import type { Process, State, Vma } from '../types.js';
import type { SubmitArgs } from '../fence/submitIoctl.js';
import { instanceName } from '../instanceName.js';
import { taskAlive } from '../mmUsers.js';

function liveProc(s: State, idx: number): Process | undefined {
  // Operations are issued by running tasks: an exited one's mm may live on, pinned by a driver.
  const live = s.procs.filter((p) => taskAlive(s, p.pid));
  return live.length ? live[idx % live.length] : undefined;
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

/** The fence of the n-th most recent user submission (0: the latest), -1 if there are not that many. */
function userFence(s: State, n: number): number {
  const user = s.sync.jobs.filter((j) => j.user);
  return user[user.length - 1 - n]?.fence ?? -1;
}

/** Resolves an operation to the kernel procedure it runs, or a reason it does not apply. */
export function resolveOp(s: State, op: Op): { fn: string; args: Record<string, unknown> } | string {
  // A device, not a process, is its target.
  if (op.op === 'device_unbind') return { fn: 'device_unbind', args: { gpu: op.gpu % s.cfg.gpus.length } };
  const p = liveProc(s, op.proc);
  if (!p) return 'no live process';
  const pid = p.pid;
  const gpuOf = (g: number): number => g % s.cfg.gpus.length;
  if (op.op === 'mmap')
    return { fn: 'sys_mmap', args: { pid, pages: op.pages, prot: op.prot, shared: op.shared } };
  if (op.op === 'fork') return { fn: 'sys_fork', args: { pid } };
  if (op.op === 'exit') return { fn: 'sys_exit', args: { pid } };
  if (op.op === 'reclaim') return { fn: 'direct_reclaim', args: { pid } };
  if (op.op === 'fence_wait') {
    const f = userFence(s, op.fence);
    return f < 0 ? 'no fence to wait for' : { fn: 'fence_wait_ioctl', args: { fence: f } };
  }
  if (op.op === 'submit') {
    const w = vmaOf(p, op.vma);
    if (op.svm && !w) return 'process has no mapping';
    const args = {
      gpu: gpuOf(op.gpu),
      engine: op.engine,
      pid,
      vpn: w ? accessVpn(s, w, op.off) : 0,
      write: op.write,
      svm: op.svm,
      bo: op.bo,
      dep: op.dep > 0 ? userFence(s, op.dep - 1) : -1,
    } satisfies SubmitArgs;
    return { fn: 'submit_ioctl', args };
  }
  const v = vmaOf(p, op.vma);
  if (!v) return 'process has no mapping';
  // A switch, not a ts-pattern match: this runs for every operation started (and for every move
  // the explorer tries), and the matcher showed up in profiles. `never` keeps it exhaustive.
  switch (op.op) {
    case 'munmap': {
      const [start, end] = rangeOf(s, v, op.off, op.len);
      return { fn: 'sys_munmap', args: { pid, start, end } };
    }
    case 'mprotect': {
      const [start, end] = rangeOf(s, v, op.off, op.len);
      return { fn: 'sys_mprotect', args: { pid, start, end, prot: op.prot } };
    }
    case 'madvise_dontneed': {
      const [start, end] = rangeOf(s, v, op.off, op.len);
      return { fn: 'sys_madvise_dontneed', args: { pid, start, end } };
    }
    case 'cpu_read':
    case 'cpu_write':
      return { fn: 'cpu_access', args: { pid, vpn: accessVpn(s, v, op.off), write: op.op === 'cpu_write' } };
    case 'gpu_read':
    case 'gpu_write':
      return {
        fn: 'gpu_access',
        args: { gpu: gpuOf(op.gpu), pid, vpn: accessVpn(s, v, op.off), write: op.op === 'gpu_write' },
      };
    case 'gpu_atomic':
      return {
        fn: 'gpu_access',
        args: { gpu: gpuOf(op.gpu), pid, vpn: accessVpn(s, v, op.off), write: true, atomic: true },
      };
    case 'svm_set_attr': {
      const [start, end] = rangeOf(s, v, op.off, op.len);
      return { fn: 'uapi_svm_set_attr', args: { pid, start, end, attrs: op.attrs } };
    }
    case 'svm_get_attr': {
      const [start, end] = rangeOf(s, v, op.off, op.len);
      return { fn: 'uapi_svm_get_attr', args: { pid, start, end } };
    }
    case 'gpuvm_map': {
      const [start, end] = rangeOf(s, v, op.off, op.len);
      return { fn: 'uapi_gpuvm_map', args: { pid, start, end } };
    }
    case 'migrate': {
      const [start, end] = rangeOf(s, v, op.off, op.len);
      return {
        fn: 'migrate_ioctl',
        args: { gpu: gpuOf(op.gpu), pid, start, n: end - start, to: op.to },
      };
    }
    default: {
      const unhandled: never = op;
      return unhandled;
    }
  }
}

/**
 * Everything resolveOp reads from the state, as a string: two states with the same key resolve
 * every operation alike (the explorer memoizes resolutions on it). Keep it in step with resolveOp.
 */
export function resolutionKey(s: State): string {
  let key = '';
  for (const p of s.procs) {
    if (!taskAlive(s, p.pid)) continue;
    key += `${p.pid}:`;
    for (const v of p.vmas) key += `${v.start}-${v.end},`;
    key += ';';
  }
  // userFence(): the fences of user submissions, for fence_wait and submit's dependency.
  key += '|';
  for (const j of s.sync.jobs) if (j.user) key += `${j.fence},`;
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
  // The kind first: an `in` test on the many operation shapes was a megamorphic lookup per call.
  return op.op === 'gpu_read' || op.op === 'gpu_write' || op.op === 'gpu_atomic'
    ? gpuAgent(op.gpu % gpus)
    : cpuAgent(op.on);
}

// Agent names built once each (every run asks for every operation's agent).
const gpuAgent = instanceName('gpu', '');
const cpuAgent = instanceName('cpu', '');
