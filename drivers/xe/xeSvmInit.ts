// A process's xe DRM file and its VMs' SVM state, as the model opens them: xe_svm_init()
// (drivers/gpu/drm/xe/xe_svm.c of a 7.0-based tree, pongo1231/linux
// 6f49c541d9c21af7ee64f46dd461e2b4e8d4e3fd): a fault-mode VM takes a counted reference on its
// tile's drm_pagemap through xe_svm_get_pagemaps() -> xe_pagemap_find_or_create(), kept in
// vm->svm.pagemaps[] until xe_svm_close() -> xe_svm_put_pagemaps(). Userspace creates the VM
// (DRM_IOCTL_XE_VM_CREATE) before it faults, prefetches or madvises; the model's programs have no
// such operation, so a VM of (device, process) is opened at its first fault or prefetch, before
// vm->lock is taken, and madvise opens the process's file only.
//
// The file's release at exit: the kernel closes the process's files (exit_files(), after
// exit_mm()), and xe_file_close() closes its VMs (xe_vm_close_and_put -> xe_svm_close), whose GPU
// VMAs and their preferred-location references go with them. The model has no files; it registers,
// with the process's first xe file, an interval notifier over the whole address space, a stand-in
// with no kernel counterpart, whose MMU_NOTIFY_RELEASE at exit_mmap() closes every VM of the process
// and puts its preferred-location references (xeFileRelease). Its other invalidations do nothing.
//
// Context: process; takes the cache's lookup_mutex (xePagemapFindOrCreate), no other lock.
// Returns 0 or 'ENODEV'.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { invoke } from '../../api/invoke.js';
import { notifierInsert } from '../../model/notifier.js';
import { count, goto, type Env } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import { drmPagemapPut } from './drmPagemap.js';
import { xePagemapFindOrCreate } from './xePagemapFindOrCreate.js';
import { xeState, xeView } from './xeState.js';

/** The tag of the stand-in file notifiers (drm_gpusvm's carry their device, 0 and up). */
export const XE_FILE_TAG = -1;

export interface XeSvmInitArgs {
  /** The VM's device, or -1 to open the process's file only. */
  gpu: number;
  pid: number;
}

/** The VM of (gpu, pid) is open. */
export function xeVmOpen(s: State, gpu: number, pid: number): boolean {
  return xeView(s).vms.some((v) => v.gpu === gpu && v.pid === pid);
}

export const xeSvmInit: DriverProc<XeSvmInitArgs, 0 | 'ENODEV'> = defineDriverProc<
  XeSvmInitArgs,
  0 | 'ENODEV'
>('xe_svm_init', {
  start(env, l) {
    const s = env.s;
    const st = xeState(s);
    if (!st.files.some((f) => f.pid === l.pid))
      st.files.push({ pid: l.pid, nid: notifierInsert(s, l.pid, 0, s.cfg.vaPages, XE_FILE_TAG) });
    if (l.gpu < 0 || xeVmOpen(s, l.gpu, l.pid)) return xeSvmInit.ret(0);
    return invoke(xePagemapFindOrCreate, { gpu: l.gpu }, 'got');
  },
  got(env, l, r) {
    const id = xePagemapFindOrCreate.result(r);
    if (id === 'ENODEV') return xeSvmInit.ret('ENODEV');
    xeState(env.s).vms.push({ gpu: l.gpu, pid: l.pid, dpagemap: id });
    count(env, 'xe: VM opened (xe_svm_init: its tile pagemap referenced)');
    return goto('done');
  },
  done() {
    return xeSvmInit.ret(0);
  },
});

/**
 * The process's file released at exit: xe_svm_close() -> xe_svm_put_pagemaps() for each of its VMs,
 * and the VMAs' preferred-location references (drm_pagemap_put) with them.
 */
export function xeFileRelease(env: Env, pid: number): void {
  const st = xeState(env.s);
  for (const v of st.vms.filter((x) => x.pid === pid)) {
    st.vms = st.vms.filter((x) => x !== v);
    drmPagemapPut(env, v.dpagemap);
    count(env, 'xe: VM closed (xe_svm_close: its tile pagemap put)');
  }
  const held = st.prefDp[pid] ?? [];
  delete st.prefDp[pid];
  for (const id of held) if (id !== undefined && id >= 0) drmPagemapPut(env, id);
  st.files = st.files.filter((f) => f.pid !== pid);
}
