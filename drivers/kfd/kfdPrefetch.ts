// The program's `migrate` operation on kfd: svm_range_set_attr with KFD_IOCTL_SVM_ATTR_PREFETCH_LOC,
// whose svm_range_trigger_migration goes to svm_range_best_prefetch_location (kfd_svm.c at
// 8f8cc3fb4350), not to the GPU asked for when a GPU that must map the range cannot reach its VRAM.
import { call, type Handler, type Proc } from '../../model/proc.js';
import { LOC_SYSMEM } from '../../model/uapi.js';
import { rangeById } from '../svm/svmState.js';
import { kfdBestPrefetchLocation } from './kfdBestPrefetchLocation.js';

/** The locals of the family's `migrate` (makeSvmDriver's prefetch) this step reads. */
interface PrefetchLocals {
  gpu: number;
  pid: number;
  to: 'dev' | 'sys';
  todo: number[][];
}

/**
 * kfdPrefetch - the family's `migrate` with kfd's choice of destination: a range whose best
 * prefetch location for the GPU asked for is system memory (a GPU with access, XNACK off, or access
 * in place, outside that GPU's XGMI hive) goes to system memory instead
 * (svm_range_best_prefetch_location). The family moves it to the GPU asked for.
 *
 * Context: as the family's migrate: mmap_lock for read and svms->lock held across the migrations.
 * Return: 0.
 */
export function kfdPrefetch(base: Proc): Proc {
  const next = base.steps['next'] as unknown as Handler<PrefetchLocals>;
  const steps: Record<string, Handler<PrefetchLocals>> = {
    next(env, l, r) {
      const w = l.todo[0];
      const range = w && l.to === 'dev' ? rangeById(env.s, w[0] ?? -1) : undefined;
      if (!w || !range) return next(env, l, r);
      const best = kfdBestPrefetchLocation(env.s, { ...range, a: { ...range.a, prefetch: l.gpu + 1 } });
      if (best !== LOC_SYSMEM) return next(env, l, r);
      l.todo.shift();
      return call('drv:svm_migrate', { rid: w[0], pid: l.pid, start: w[1], last: w[2], to: 0 }, 'next');
    },
  };
  return { ...base, steps: { ...base.steps, ...(steps as unknown as Proc['steps']) } };
}
