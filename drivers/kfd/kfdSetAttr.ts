// svm_range_set_attr's second half (kfd_svm.c at 006ad514a50c): per updated range,
// svm_range_trigger_migration and then svm_range_validate_and_map, as kfd decides them. The first
// half (flush, validate, svm_range_add as a transaction) is the svm family's set_attr.
import { call, count, emit, goto, type Env, type Handler, type StepResult } from '../../model/proc.js';
import { FLAG_GPU_ALWAYS_MAPPED, LOC_SYSMEM, LOC_UNDEFINED } from '../../model/uapi.js';
import { rangeHasVram } from '../svm/svmBo.js';
import type { SvmSetAttrLocals } from '../svm/svmAttrs.js';
import { rangeById } from '../svm/svmState.js';
import { kfdBestPrefetchLocation } from './kfdBestPrefetchLocation.js';
import { kfdMapBitmap } from './kfdMapBitmap.js';
import { mappedToGpu } from './kfdState.js';

/** set_attr's locals with kfd's: whether the current range's migration was triggered. */
export interface KfdSetAttrLocals extends SvmSetAttrLocals {
  migrated?: boolean;
}

type L = KfdSetAttrLocals;

/**
 * revoke - svm_range_trigger_migration(): nothing is unmapped first (kfd's set_attr has "TODO:
 * unmap ranges from GPU that lost access"); migrate the range to svm_range_best_prefetch_location
 * unless that is undefined, or system memory for a range with nothing in VRAM.
 */
function trigger(env: Env, l: L): StepResult {
  const s = env.s;
  const r = rangeById(s, l.cur);
  if (!r) return goto('next');
  const best = kfdBestPrefetchLocation(s, r);
  l.migrated = !(best === LOC_UNDEFINED || (best === LOC_SYSMEM && !rangeHasVram(s, r)));
  l.to = l.migrated ? best : LOC_UNDEFINED;
  if (!l.migrated) return goto('map');
  const where = best === LOC_SYSMEM ? 'system' : `gpu${best - 1}`;
  emit(env, { e: 'svm-range', pid: l.pid, start: r.start, last: r.last, what: `prefetch to ${where}` });
  count(env, 'prefetch');
  return call('drv:svm_migrate', { rid: r.id, pid: l.pid, start: r.start, last: r.last, to: best }, 'map');
}

/**
 * map - the rest of the loop body: a migrated range that is mapped and evicts on invalidation
 * (XNACK off or GPU_ALWAYS_MAPPED) is left to restore_work, which the migration's own
 * MMU_NOTIFY_MIGRATE queued; a range neither migrated nor with mapping-relevant attributes changed
 * (access with XNACK off, flags) is left alone; the rest is validated and mapped on the GPUs
 * svm_range_validate_and_map picks (kfdMapBitmap).
 */
function map(env: Env, l: L): StepResult {
  const s = env.s;
  const r = rangeById(s, l.cur);
  if (!r) return goto('next');
  const evicts = s.cfg.xnack === 'off' || (r.a.flags & FLAG_GPU_ALWAYS_MAPPED) !== 0;
  if (l.migrated && evicts && mappedToGpu(r)) {
    count(env, 'set_attr: restore_work will update mappings of GPUs');
    return goto('next');
  }
  // svm_range_apply_attrs' update_mapping.
  const updateMapping = l.attrs.some(
    (a) =>
      a.t === 'set_flags' ||
      a.t === 'clr_flags' ||
      (s.cfg.xnack === 'off' && (a.t === 'access' || a.t === 'aip' || a.t === 'noaccess')),
  );
  if (!l.migrated && !updateMapping) return goto('next');
  const gpus = kfdMapBitmap(s, r);
  if (gpus === 0) return goto('next');
  return call('drv:validate_and_map', { rid: r.id, start: r.start, last: r.last, gpus }, 'mapped');
}

/** The steps of the svm family's set_attr that kfd's replaces. */
export const KFD_SET_ATTR_STEPS: Record<string, Handler<L>> = { revoke: trigger, map };
