// xe_svm_handle_pagefault() -> __xe_svm_handle_pagefault() (drivers/gpu/drm/xe/xe_svm.c at
// 0131514f97890c4699a4d7ca14b720dafefdbc71), the GPU page fault handler of drm_gpusvm.c's DOC:
// Examples (at 0542972950ef26670a5696e43c0ea2b7b6ac96d4): under vm->lock, process UNMAPs first (the
// garbage collector), find or insert the range, done if its binding is valid; migrate it to the
// preferred device memory once (drm_pagemap_populate_mm; a failure retries the fault without
// migrating); get the pages (-EOPNOTSUPP: evict the range and retry; -EFAULT / -EPERM: CPU mappings
// changed, retry); bind under the notifier lock if the pages are still valid, else retry.
//
// Placement (xe_vma_resolve_pagemap over xe madvise's preferred location): the default is the
// faulting device's VRAM, 0 system memory, g + 1 GPU g's VRAM, which the faulting GPU must reach
// (same interconnect group); a device-coherent configuration does not migrate. No atomic accesses
// in the model, so devmem_only is never set and the migration is tried once per fault.
//
// The GPU VMA's read_only (ctx.read_only, and xe_pagefault's -EPERM for a write to a read-only
// VMA): the model has no VM_BIND, so userspace is taken to bind the CPU address mirror read-only
// exactly over CPU memory that is not writable; a writable mirror over such memory fails every
// fault -EPERM in drm_gpusvm_range_find_or_insert().
//
// Context: the kernel's GPU fault path (drm_dev_enter held); takes vm->lock for write. Returns 0
// or an errno (a fatal GPU fault).
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { invoke } from '../../api/invoke.js';
import { gpuMap } from '../../model/gpu.js';
import { pfnPage } from '../../model/kernel/hmm.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { mmapLock, unlock } from '../../model/locks.js';
import { vmaAt } from '../../model/mem.js';
import { count, goto, spinTo, yieldTo, type Env, type StepResult } from '../../model/proc.js';
import { drmGpusvmGetPages } from './drmGpusvmGetPages.js';
import { drmGpusvmRangeEvict } from './drmGpusvmRangeEvict.js';
import { drmGpusvmRangeFindOrInsert } from './drmGpusvmRangeFindOrInsert.js';
import { xeGarbageCollector } from './xeGarbageCollector.js';
import { xePopulateMm } from './xePopulateMm.js';
import { notifierLock, preferredLoc, rangeById, vmLock, xeState, type XeErr } from './xeState.js';
import type { XeDesign } from './xeDesign.js';

export interface XeFaultArgs {
  gpu: number;
  pid: number;
  vpn: number;
  write: boolean;
}

/** Locals of xe's gpu_fault, for variants that replace a step. */
export interface XeFaultLocals extends XeFaultArgs {
  rid: number;
  readOnly: boolean;
  migrateTries: number;
}

/** The device whose VRAM the range should live in, or -1 for system memory. */
export function xeTarget(env: Env, gpu: number, pid: number, vpn: number): number {
  const s = env.s;
  const pref = preferredLoc(s, pid, vpn);
  const target = pref < 0 ? gpu : pref - 1;
  const g = s.cfg.gpus[target];
  const me = s.cfg.gpus[gpu];
  if (pref === 0 || !g || !me || g.mem !== 'private' || g.hive !== me.hive) return -1;
  return target;
}

function done(env: Env, l: XeFaultLocals, v: 0 | XeErr): StepResult {
  unlock(env, vmLock(l.gpu, l.pid));
  return ret(v);
}

function ret(v: 0 | XeErr): StepResult {
  return { k: 'ret', v };
}

export function xeHandlePagefault(design: XeDesign) {
  return defineDriverProc<XeFaultArgs, 0 | XeErr, XeFaultLocals>('gpu_fault', {
    start(env, l) {
      const b = lockOrBlock(env, vmLock(l.gpu, l.pid), 'w');
      if (b) return b;
      l.migrateTries = 1;
      return goto('retry');
    },
    retry(_env, l) {
      // Always process UNMAPs first so the view of the ranges is current.
      return invoke(xeGarbageCollector, { gpu: l.gpu, pid: l.pid }, 'find');
    },
    find(env, l) {
      const s = env.s;
      const b = lockOrBlock(env, mmapLock(l.pid), 'r');
      if (b) return b;
      const v = vmaAt(s, l.pid, l.vpn);
      l.readOnly = v?.prot === 'r';
      if (l.write && l.readOnly) {
        unlock(env, mmapLock(l.pid));
        return done(env, l, 'EPERM');
      }
      const ctx = {
        readOnly: l.readOnly,
        devmemPossible: s.cfg.gpus[l.gpu]?.mem === 'private',
        checkPagesThreshold: design.checkPagesThreshold,
        devmemOnly: false,
        allowMixed: design.allowMixed,
      };
      const r = drmGpusvmRangeFindOrInsert(s, l.gpu, l.pid, l.vpn, ctx);
      unlock(env, mmapLock(l.pid));
      if (typeof r === 'string') return done(env, l, r);
      l.rid = r.id;
      if (r.bound) {
        count(env, 'xe: valid fault (range already bound)');
        return done(env, l, 0);
      }
      const target = xeTarget(env, l.gpu, l.pid, l.vpn);
      const inTarget = r.pages.devmem && r.pages.dpagemap === target;
      if (target >= 0 && r.migrateDevmem && !inTarget && l.migrateTries-- > 0) {
        count(env, `xe: migrate range to gpu${target}`);
        const args = {
          gpu: target,
          pid: l.pid,
          start: r.start,
          n: r.last - r.start + 1,
          sameOk: design.sameOk,
          selPriv: design.selectDevicePrivate,
        };
        return invoke(xePopulateMm, args, 'migrated');
      }
      return goto('pages');
    },
    migrated(env, _l, r) {
      const err = xePopulateMm.result(r);
      if (err !== 0) {
        count(env, `xe: migration failed (-${err}), fault retried`);
        return spinTo('retry');
      }
      return goto('pages');
    },
    pages(_env, l) {
      const args = {
        gpu: l.gpu,
        pid: l.pid,
        rid: l.rid,
        readOnly: l.readOnly,
        devmemOnly: false,
        allowMixed: design.allowMixed,
      };
      return invoke(drmGpusvmGetPages, args, 'got');
    },
    got(env, l, r) {
      const err = drmGpusvmGetPages.result(r);
      if (err === 'EOPNOTSUPP') return invoke(drmGpusvmRangeEvict, { rid: l.rid, pid: l.pid }, 'evicted');
      if (err === 'EFAULT' || err === 'EPERM') {
        count(env, `xe: get_pages -${err}, fault retried`);
        return spinTo('retry');
      }
      if (err !== 0) return done(env, l, err);
      // A preemption point between get_pages and the bind.
      return yieldTo('bind');
    },
    evicted() {
      return spinTo('retry');
    },
    bind(env, l) {
      const lock = notifierLock(l.gpu, l.pid);
      const b = lockOrBlock(env, lock, 'r');
      if (b) return b;
      const r = rangeById(xeState(env.s), l.rid);
      // drm_gpusvm_range_pages_valid() as the last step before committing the binding. The binding's
      // permission is the range's: drm_gpusvm's dma addresses carry a direction per pages struct
      // (DMA_BIDIRECTIONAL unless read_only), not a write bit per page.
      if (!r || r.pages.unmapped || !(r.pages.dma || r.pages.devmem)) {
        unlock(env, lock);
        count(env, 'xe: bind -EAGAIN (pages invalidated)');
        return spinTo('retry');
      }
      r.pages.pfns.forEach((pfn, i) => {
        if (pfn >= 0) gpuMap(env, l.gpu, l.pid, r.start + i, pfnPage(pfn), !l.readOnly);
      });
      r.bound = true;
      unlock(env, lock);
      return done(env, l, 0);
    },
  });
}
