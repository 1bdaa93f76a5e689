// The KFD SVM ioctls as a program issues them. Each calls the driver's implementation and records,
// next to the driver's answer, what the per-page uAPI model (uapi.ts) says the answer must be, so
// that invariants compare the two. Drivers without the uAPI make these operations no-ops.
import { driverProcName } from '../driver.js';
import { call, defineProc, emit, goto, ret, spinTo } from '../proc.js';
import type { Env, StepResult } from '../proc.js';
import { rangeValid, uapiGetAttr, uapiPages, uapiSetAttr, type Attr, type AttrReport } from '../uapi.js';
import { UAPI, mut } from '../touched.js';

/** The driver's range list of the process as one string (compared, never parsed; no JSON in a step). */
function ranges(env: Env, pid: number): string {
  let out = '';
  for (const r of env.drv.ranges?.(env.s, pid) ?? []) {
    const a = r.attrs;
    out += `[${r.start} ${r.last} ${a.preferred} ${a.prefetch} ${a.gran} ${a.flags} ${a.access} ${a.aip} ${r.pending} ${r.mapped.join(' ')}]`;
  }
  return out;
}

function unsupported(env: Env, op: string, pid: number): StepResult {
  emit(env, { e: 'syscall', op, pid, err: 'SKIP', detail: `driver '${env.drv.name}' has no SVM uAPI` });
  return ret(0);
}

/**
 * Called by a driver's set_attr once it holds the locks that serialize its range list: the state
 * a rejected request must leave untouched (an annotation, as lockdep's are).
 */
export function svmTransactionBegin(env: Env, pid: number): void {
  const f = env.s.uapi.inflight.find((x) => x.act === env.act.id && x.pid === pid);
  if (!f) return;
  // Marked only when the snapshot differs: usually nothing has changed since the call began.
  const before = ranges(env, pid);
  if (f.before !== before) mut(UAPI, f).before = before;
}

export const uapiSvmSetAttr = defineProc<{ pid: number; start: number; end: number; attrs: Attr[] }>(
  'uapi_svm_set_attr',
  {
    start(env, l) {
      if (!env.procs.has(driverProcName('set_attr'))) return unsupported(env, 'svm set_attr', l.pid);
      mut(UAPI, env.s.uapi.inflight).push({
        act: env.act.id,
        pid: l.pid,
        start: l.start,
        end: l.end,
        attrs: l.attrs,
        before: ranges(env, l.pid),
      });
      return goto('ioctl');
    },
    ioctl(_env, l) {
      return call(
        driverProcName('set_attr'),
        { pid: l.pid, start: l.start, end: l.end, attrs: l.attrs },
        'done',
      );
    },
    done(env, l, r) {
      const res = r as { err: string; applied: boolean };
      const u = env.s.uapi;
      const mine = u.inflight.find((x) => x.act === env.act.id);
      // The program's call is hsaKmtSVMSetAttr: kmtIoctl issues the ioctl again while it fails with
      // -EAGAIN (ROCR-Runtime src/libhsakmt.c), e.g. when validation raced an invalidation
      // (amdgpu_hmm_range_get_pages turns hmm_range_fault's -EBUSY into -EAGAIN). The call stays in
      // flight; what each ioctl applied is recorded as it returns.
      const again = res.err === 'EAGAIN';
      if (!again) mut(UAPI, u).inflight = u.inflight.filter((x) => x !== mine);
      if (res.applied) uapiSetAttr(env.s, l.pid, l.start, l.end, l.attrs);
      const changed = !res.applied && ranges(env, l.pid) !== mine?.before;
      emit(env, {
        e: 'svm-set-attr',
        pid: l.pid,
        start: l.start,
        end: l.end,
        err: res.err,
        applied: res.applied,
        changed,
      });
      if (!again) return ret(0);
      if (mine) mut(UAPI, mine).before = ranges(env, l.pid);
      return spinTo('ioctl');
    },
  },
);

export const uapiSvmGetAttr = defineProc<{ pid: number; start: number; end: number }>('uapi_svm_get_attr', {
  start(env, l) {
    if (!env.procs.has(driverProcName('get_attr'))) return unsupported(env, 'svm get_attr', l.pid);
    return call(driverProcName('get_attr'), { pid: l.pid, start: l.start, end: l.end }, 'done');
  },
  done(env, l, r) {
    const res = r as { err: string; report: AttrReport | null; racy: boolean };
    const want = rangeValid(env.s, l.pid, l.start, l.end);
    const expect = uapiGetAttr(env.s, l.pid, l.start, l.end);
    emit(env, {
      e: 'svm-get-attr',
      pid: l.pid,
      start: l.start,
      end: l.end,
      err: res.err,
      want,
      got: res.report,
      expect,
      racy: res.racy,
    });
    return ret(0);
  },
});

/** kfd_ioctl_alloc_memory_of_gpu + map for a userptr BO: refused over SVM ranges (-EADDRINUSE). */
export const uapiGpuvmMap = defineProc<{ pid: number; start: number; end: number }>('uapi_gpuvm_map', {
  start(env, l) {
    const s = env.s;
    const t = uapiPages(s, l.pid);
    const svm = env.drv.ranges?.(s, l.pid) ?? [];
    let err = '0';
    for (let v = l.start; v < l.end; v++)
      if (t[v] || svm.some((x) => x.pending !== 'unmap' && v >= x.start && v <= x.last)) err = 'EADDRINUSE';
    if (err === '0') mut(UAPI, (mut(UAPI, s.uapi.gpuvm)[l.pid] ??= [])).push([l.start, l.end]);
    emit(env, { e: 'syscall', op: 'gpuvm map', pid: l.pid, err, detail: `[${l.start}, ${l.end})` });
    return ret(0);
  },
});
