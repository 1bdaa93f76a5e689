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
// (same interconnect group); a device-coherent configuration does not migrate.
//
// Atomics (xe_svm_handle_pagefault's @atomic, xe_vma_need_vram_for_atomic with the VMA's atomic
// attribute left at DRM_XE_ATOMIC_UNDEFINED: madvise's atomic attribute is not modelled): on a
// discrete device (private VRAM) an atomic fault sets ctx.devmem_only and ctx.timeslice_ms
// (xe->atomic_svm_timeslice_ms, 5 by default) and tries the migration three times. A range that
// cannot migrate (not anonymous) is -EACCES; a binding is valid only with the pages in device
// memory; the migration goes to the preferred device, else the faulting one (tile_local_pagemap)
// unless the range is in device memory already (xe_svm_range_needs_migrate_to_vram); the timeslice
// doubles after each migration, get_pages failure and bind -EAGAIN. With devmem_only a failed
// migration or get_pages retries only while tries are left, then fails the fault. Migration goes
// through xe_svm_alloc_vram (xeSvmAllocVram: a -EBUSY evicts the range and tries once more). The
// range is bound with the PTE's atomic-enable bit when its pages are in device memory and without
// it over system memory of a discrete device, so an atomic there faults again: xe_pt.c's
// xe_atomic_for_vram / xe_atomic_for_system, which the library does not hold, so this rule is
// inferred from the fault path above (an atomic fault that migrates must end in a PTE atomics go
// through), not read.
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
import { xeSvmAllocVram } from './xeSvmAllocVram.js';
import { notifierLock, preferredLoc, rangeById, vmLock, xeState, xeView, type XeErr } from './xeState.js';
import { drmPagemapCacheActive } from './drmPagemap.js';
import { xeSvmInit, xeVmOpen } from './xeSvmInit.js';
import type { State } from '../../model/types.js';
import type { XeDesign } from './xeDesign.js';
import { xeSliceWindow } from './drmPagemapTimesliceExpire.js';

export interface XeFaultArgs {
  gpu: number;
  pid: number;
  vpn: number;
  write: boolean;
  /** The fault's atomic access bit (GPU atomic accesses only). */
  atomic?: boolean;
}

/** Locals of xe's gpu_fault, for variants that replace a step. */
export interface XeFaultLocals extends XeFaultArgs {
  rid: number;
  readOnly: boolean;
  migrateTries: number;
  /** ctx.devmem_only: an atomic on a discrete device needs the range in device memory. */
  devmemOnly: boolean;
  /** ctx.timeslice_ms, doubled on every retry. */
  timeslice: number;
  /** get_pages' error kept across the eviction when the tries are exhausted. */
  err: 0 | XeErr;
}

/** xe->atomic_svm_timeslice_ms: the xe module parameter's default. */
export const XE_ATOMIC_SVM_TIMESLICE_MS = 5;

/** A discrete device (IS_DGFX): its memory is device-private VRAM. */
const isDgfx = (env: Env, gpu: number): boolean => env.s.cfg.gpus[gpu]?.mem === 'private';

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

/**
 * The drm_pagemap a migration to `target` populates: the preferred location's own reference
 * (vma->attr.preferred_loc.dpagemap) when the page names a device, else xe_tile_local_pagemap() of
 * the faulting tile, the cache's pagemap while active (the VM's reference keeps it so, unless the
 * cache lost it to the shrinker). -1: none, no migration.
 */
export function xeTargetPagemap(s: State, gpu: number, pid: number, vpn: number, target: number): number {
  if (preferredLoc(s, pid, vpn) > 0) return xeView(s).prefDp[pid]?.[vpn] ?? -1;
  return target === gpu ? drmPagemapCacheActive(s, gpu) : -1;
}

function done(env: Env, l: XeFaultLocals, v: 0 | XeErr): StepResult {
  xeSliceWindow(env, l.gpu, l.pid, false);
  unlock(env, vmLock(l.gpu, l.pid));
  return ret(v);
}

function ret(v: 0 | XeErr): StepResult {
  return { k: 'ret', v };
}

export function xeHandlePagefault(design: XeDesign) {
  return defineDriverProc<XeFaultArgs, 0 | XeErr, XeFaultLocals>('gpu_fault', {
    start(env, l) {
      // The faulting VM (xe_svm_init at its creation, before any fault: xeSvmInit.ts).
      if (!xeVmOpen(env.s, l.gpu, l.pid)) return invoke(xeSvmInit, { gpu: l.gpu, pid: l.pid }, 'opened');
      return goto('lock');
    },
    opened(_env, _l, r) {
      const err = xeSvmInit.result(r);
      return err === 0 ? goto('lock') : ret(err);
    },
    lock(env, l) {
      const b = lockOrBlock(env, vmLock(l.gpu, l.pid), 'w');
      if (b) return b;
      // xe_vma_need_vram_for_atomic(): an atomic needs VRAM on a discrete device.
      l.devmemOnly = l.atomic === true && isDgfx(env, l.gpu);
      l.timeslice = l.devmemOnly ? XE_ATOMIC_SVM_TIMESLICE_MS : 0;
      l.migrateTries = l.devmemOnly ? 3 : 1;
      l.err = 0;
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
        devmemOnly: l.devmemOnly,
        allowMixed: design.allowMixed,
      };
      const r = drmGpusvmRangeFindOrInsert(s, l.gpu, l.pid, l.vpn, ctx);
      unlock(env, mmapLock(l.pid));
      if (typeof r === 'string') return done(env, l, r);
      l.rid = r.id;
      if (l.devmemOnly && !r.migrateDevmem) return done(env, l, 'EACCES');
      // xe_svm_range_is_valid(range, tile, devmem_only).
      if (r.bound && (!l.devmemOnly || r.pages.devmem)) {
        count(env, 'xe: valid fault (range already bound)');
        return done(env, l, 0);
      }
      const pref = xeTarget(env, l.gpu, l.pid, l.vpn);
      // devmem_only without a preferred device: the faulting device's own VRAM.
      const want = pref < 0 && l.devmemOnly ? l.gpu : pref;
      // Its drm_pagemap (xeTargetPagemap); none: nothing to migrate to.
      const dpagemap = want < 0 ? -1 : xeTargetPagemap(env.s, l.gpu, l.pid, l.vpn, want);
      const target = dpagemap < 0 ? -1 : want;
      // devmem_only is content with device memory of any pagemap (xe_svm_range_in_vram).
      const inTarget = r.pages.devmem && (l.devmemOnly || r.pages.dpagemap === target);
      if (target >= 0 && r.migrateDevmem && !inTarget && l.migrateTries-- > 0) {
        count(env, `xe: migrate range to gpu${target}`);
        const args = {
          dpagemap,
          gpu: target,
          pid: l.pid,
          start: r.start,
          n: r.last - r.start + 1,
          sameOk: design.sameOk,
          selPriv: design.selectDevicePrivate,
          slice: l.timeslice,
          sliceGpu: l.gpu,
          rid: l.rid,
        };
        return invoke(xeSvmAllocVram, args, 'migrated');
      }
      return goto('pages');
    },
    migrated(env, l, r) {
      const err = xeSvmAllocVram.result(r);
      l.timeslice *= 2;
      if (err !== 0) {
        if (l.migrateTries > 0 || !l.devmemOnly) {
          count(env, `xe: migration failed (-${err}), fault retried`);
          return spinTo('retry');
        }
        count(env, `xe: devmem_only migration failed (-${err}), retry count exceeded`);
        return done(env, l, err);
      }
      const rg = rangeById(xeState(env.s), l.rid);
      if (rg) xeSliceWindow(env, l.gpu, l.pid, true, rg.start, rg.last - rg.start + 1);
      return goto('pages');
    },
    pages(_env, l) {
      const args = {
        gpu: l.gpu,
        pid: l.pid,
        rid: l.rid,
        readOnly: l.readOnly,
        devmemOnly: l.devmemOnly,
        allowMixed: design.allowMixed,
      };
      return invoke(drmGpusvmGetPages, args, 'got');
    },
    got(env, l, r) {
      const err = drmGpusvmGetPages.result(r);
      if (err === 'EOPNOTSUPP' || err === 'EFAULT' || err === 'EPERM') {
        l.timeslice *= 2;
        xeSliceWindow(env, l.gpu, l.pid, false);
        const again = l.migrateTries > 0 || !l.devmemOnly;
        if (!again) count(env, `xe: devmem_only get_pages -${err}, retry count exceeded`);
        l.err = again ? 0 : err;
        // xe_svm_range_get_pages() evicts the range on -EOPNOTSUPP before returning.
        if (err === 'EOPNOTSUPP') return invoke(drmGpusvmRangeEvict, { rid: l.rid, pid: l.pid }, 'evicted');
        if (!again) return done(env, l, err);
        count(env, `xe: get_pages -${err}, fault retried`);
        return spinTo('retry');
      }
      if (err !== 0) return done(env, l, err);
      // A preemption point between get_pages and the bind.
      return yieldTo('bind');
    },
    evicted(env, l) {
      return l.err === 0 ? spinTo('retry') : done(env, l, l.err);
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
        l.timeslice *= 2;
        xeSliceWindow(env, l.gpu, l.pid, false);
        return spinTo('retry');
      }
      // The atomic-enable bit: VRAM PTEs have it, system PTEs of a discrete device do not.
      const atomicOk = r.pages.devmem || !isDgfx(env, l.gpu);
      r.pages.pfns.forEach((pfn, i) => {
        if (pfn >= 0) gpuMap(env, l.gpu, l.pid, r.start + i, pfnPage(pfn), !l.readOnly, atomicOk);
      });
      r.bound = true;
      unlock(env, lock);
      return done(env, l, 0);
    },
  });
}
