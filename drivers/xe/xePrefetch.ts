// The program's `migrate` operation as xe's VM_BIND prefetch of SVM ranges (DRM_XE_VM_BIND_OP_PREFETCH:
// xe_svm_alloc_vram() for a VRAM region, xe_svm_range_migrate_to_smem() -> drm_gpusvm_range_evict()
// for system memory; drivers/gpu/drm/xe/xe_svm.c at 0131514f97890c4699a4d7ca14b720dafefdbc71) over
// the ranges the GPU's gpusvm already has in the span. The bind that follows a prefetch is left to
// the next GPU fault.
//
// Context: a VM_BIND ioctl; takes vm->lock for write. Returns 0 (a failed migration of one range is
// not an error of the prefetch: the data stays where it was).
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { invoke } from '../../api/invoke.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { goto } from '../../model/proc.js';
import { drmGpusvmRangeEvict } from './drmGpusvmRangeEvict.js';
import { drmPagemapCacheActive } from './drmPagemap.js';
import { xeSvmInit, xeVmOpen } from './xeSvmInit.js';
import { xeSvmAllocVram } from './xeSvmAllocVram.js';
import { rangeById, vmLock, xeView } from './xeState.js';
import type { XeDesign } from './xeDesign.js';

export interface XePrefetchArgs {
  gpu: number;
  pid: number;
  start: number;
  n: number;
  to: 'dev' | 'sys';
}

export interface XePrefetchLocals extends XePrefetchArgs {
  todo: number[];
}

export function xePrefetch(design: XeDesign) {
  const proc: DriverProc<XePrefetchArgs, 0, XePrefetchLocals> = defineDriverProc<
    XePrefetchArgs,
    0,
    XePrefetchLocals
  >('migrate', {
    start(env, l) {
      // The VM the bind is issued on (xe_svm_init at its creation: xeSvmInit.ts).
      if (!xeVmOpen(env.s, l.gpu, l.pid)) return invoke(xeSvmInit, { gpu: l.gpu, pid: l.pid }, 'opened');
      return goto('lock');
    },
    opened(_env, _l, r) {
      if (xeSvmInit.result(r) !== 0) return proc.ret(0);
      return goto('lock');
    },
    lock(env, l) {
      const b = lockOrBlock(env, vmLock(l.gpu, l.pid), 'w');
      if (b) return b;
      const end = l.start + l.n;
      l.todo = xeView(env.s)
        .ranges.filter((r) => r.gpu === l.gpu && r.pid === l.pid && !r.pages.unmapped)
        .filter((r) => r.start < end && r.last >= l.start)
        .map((r) => r.id);
      return goto('next');
    },
    next(env, l) {
      const s = env.s;
      const id = l.todo.shift();
      const r = id === undefined ? undefined : rangeById(xeView(s), id);
      if (id === undefined) {
        unlock(env, vmLock(l.gpu, l.pid));
        return proc.ret(0);
      }
      if (!r) return goto('next');
      if (l.to === 'sys') return invoke(drmGpusvmRangeEvict, { rid: r.id, pid: l.pid }, 'next');
      if (!r.migrateDevmem || s.cfg.gpus[l.gpu]?.mem !== 'private') return goto('next');
      if (r.pages.devmem && r.pages.dpagemap === l.gpu) return goto('next');
      // The region's pagemap (xe_tile_local_pagemap: the cache's, while active).
      const dpagemap = drmPagemapCacheActive(s, l.gpu);
      if (dpagemap < 0) return goto('next');
      const args = {
        dpagemap,
        gpu: l.gpu,
        pid: l.pid,
        start: r.start,
        n: r.last - r.start + 1,
        sameOk: design.sameOk,
        selPriv: design.selectDevicePrivate,
        // xe_vm.c's prefetch passes a zero timeslice (ctx without devmem_only).
        slice: 0,
        sliceGpu: -1,
        rid: r.id,
      };
      return invoke(xeSvmAllocVram, args, 'next');
    },
  });
  return proc;
}
