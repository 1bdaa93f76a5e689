// xe's madvise of a preferred location (DRM_IOCTL_XE_MADVISE, DRM_XE_MEM_RANGE_ATTR_PREFERRED_LOC,
// xe_vm_madvise.c) as the program's svm_set_attr: only KFD_IOCTL_SVM_ATTR_PREFERRED_LOC has an xe
// counterpart (-1 / the faulting device: DRM_XE_PREFERRED_LOC_DEFAULT_DEVICE, 0:
// DRM_XE_PREFERRED_LOC_DEFAULT_SYSTEM, g + 1: the devmem fd of GPU g); any other attribute is
// -EINVAL and nothing changes. The attribute is per process here (seed 002's "memory hint API which
// applies to a virtual address range across all GPU devices"), given to every device's VM in turn:
// each VM's GPU bindings over the span are zapped under its notifier lock
// (xe_vm_invalidate_madvise_range), so the next fault places the range again.
//
// A preferred location naming a device holds a counted reference on that device's drm_pagemap
// (xe_drm_pagemap_from_fd() -> xe_devmem_open() -> xe_pagemap_find_or_create(), xe_svm.c of a
// 7.0-based tree, pongo1231/linux 6f49c541d9c2: "Returns a reference-counted embedded struct
// drm_pagemap"), one per page in the model (vma->attr.preferred_loc.dpagemap of the VMA over it),
// put when the attribute is replaced, reset by the garbage collector, or the file is released.
// A device being unbound is refused: xe_drm_pagemap_from_fd()'s drm_dev_enter() fails, -ENODEV.
//
// Context: an ioctl; takes each device's vm->lock for write and its notifier lock, one device at a
// time. Returns {err, applied}.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { gpuZap } from '../../model/gpu.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { count, goto, yieldTo } from '../../model/proc.js';
import { rangeValid, type Attr } from '../../model/uapi.js';
import { invoke } from '../../api/invoke.js';
import { drmPagemapGet, drmPagemapPut } from './drmPagemap.js';
import { xePagemapFindOrCreate } from './xePagemapFindOrCreate.js';
import { xeSvmInit } from './xeSvmInit.js';
import { notifierLock, vmLock, xeState } from './xeState.js';

export interface XeMadviseArgs {
  pid: number;
  start: number;
  end: number;
  attrs: Attr[];
}

export interface XeMadviseLocals extends XeMadviseArgs {
  gpu: number;
  /** The preferred location asked for: -1 the faulting device, 0 system, g + 1 GPU g. */
  loc: number;
  /** The drm_pagemap of GPU loc - 1 (the lookup's counted reference), -1 for none. */
  dp: number;
}

export interface XeMadviseResult {
  err: string;
  applied: boolean;
}

export const xeMadvise: DriverProc<XeMadviseArgs, XeMadviseResult, XeMadviseLocals> = defineDriverProc<
  XeMadviseArgs,
  XeMadviseResult,
  XeMadviseLocals
>('set_attr', {
  start(env, l) {
    const s = env.s;
    const ok = l.attrs.every((a) => a.t === 'preferred' && a.v >= -1 && a.v <= s.cfg.gpus.length);
    if (!ok) return xeMadvise.ret({ err: 'EINVAL', applied: false });
    const err = rangeValid(s, l.pid, l.start, l.end);
    if (err !== '0') return xeMadvise.ret({ err, applied: false });
    // The ioctl is issued on the process's DRM file (xeSvmInit.ts).
    return invoke(xeSvmInit, { gpu: -1, pid: l.pid }, 'file');
  },
  file(_env, l) {
    l.loc = l.attrs[l.attrs.length - 1]?.v ?? -1;
    l.dp = -1;
    if (l.loc <= 0) return goto('apply');
    // xe_drm_pagemap_from_fd(fd, region): the device's pagemap, a counted reference (-ENODEV once
    // the device is unplugged).
    return invoke(xePagemapFindOrCreate, { gpu: l.loc - 1 }, 'fd');
  },
  fd(_env, l, r) {
    const id = xePagemapFindOrCreate.result(r);
    if (id === 'ENODEV') return xeMadvise.ret({ err: 'ENODEV', applied: false });
    l.dp = id;
    return goto('apply');
  },
  apply(env, l) {
    // Each page's attribute holds its own reference (a VMA split copies it with drm_pagemap_get);
    // the old one is put as the attribute is replaced, and the lookup's own reference last.
    const st = xeState(env.s);
    const pref = (st.pref[l.pid] ??= []);
    const held = (st.prefDp[l.pid] ??= []);
    for (let v = l.start; v < l.end; v++) {
      if (l.dp >= 0) drmPagemapGet(env, l.dp);
      const old = held[v] ?? -1;
      held[v] = l.dp;
      pref[v] = l.loc;
      if (old >= 0) drmPagemapPut(env, old);
    }
    if (l.dp >= 0) drmPagemapPut(env, l.dp);
    count(env, 'xe: madvise preferred location');
    l.gpu = 0;
    return goto('vm');
  },
  vm(env, l) {
    if (l.gpu >= env.s.cfg.gpus.length) return xeMadvise.ret({ err: '0', applied: true });
    const b = lockOrBlock(env, vmLock(l.gpu, l.pid), 'w');
    if (b) return b;
    return goto('zap');
  },
  zap(env, l) {
    const lock = notifierLock(l.gpu, l.pid);
    const b = lockOrBlock(env, lock, 'w');
    if (b) return b;
    for (const r of xeState(env.s).ranges) {
      if (r.gpu !== l.gpu || r.pid !== l.pid || !r.bound || r.start >= l.end || r.last < l.start) continue;
      gpuZap(env, r.gpu, r.pid, r.start, r.last + 1);
      r.bound = false;
    }
    unlock(env, lock);
    unlock(env, vmLock(l.gpu, l.pid));
    l.gpu++;
    return yieldTo('vm');
  },
});
