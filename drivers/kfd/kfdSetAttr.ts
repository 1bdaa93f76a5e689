// svm_range_set_attr's second half (kfd_svm.c at 006ad514a50c): per updated range,
// svm_range_trigger_migration and then svm_range_validate_and_map, as kfd decides them. The first
// half (flush, validate, svm_range_add as a transaction) is the svm family's set_attr.
import {
  call,
  count,
  emit,
  goto,
  type Env,
  type Handler,
  type Proc,
  type StepResult,
} from '../../model/proc.js';
import { FLAG_GPU_ALWAYS_MAPPED, LOC_SYSMEM, LOC_UNDEFINED, granularityPages } from '../../model/uapi.js';
import { rangeHasVram } from '../svm/svmBo.js';
import type { SvmSetAttrLocals } from '../svm/svmAttrs.js';
import { rangeById, treeRangesView, type SvmRange } from '../svm/svmState.js';
import type { State } from '../../model/types.js';
import { kfdBestPrefetchLocation } from './kfdBestPrefetchLocation.js';
import { kfdMapBitmap } from './kfdMapBitmap.js';
import { invalidOf, mappedToGpu, setInvalid } from './kfdState.js';
import {
  EVICTED_RANGE_SPLIT,
  NO_ACCESS_GPU_KEEPS_PTES,
  SET_ATTR_FAILED_APPLIED,
} from './kfdUpstreamMarks.js';

/** set_attr's locals with kfd's: whether the current range's migration was triggered. */
export interface KfdSetAttrLocals extends SvmSetAttrLocals {
  migrated?: boolean;
  /** remap_list: pieces split off at a boundary not aligned to their granularity, mapped again last. */
  remapList?: number[];
}

type L = KfdSetAttrLocals;

/** A GPU with neither access nor access in place to the range still has a PTE in it (read only for a counter). */
function gpuOutsideKeepsPte(s: State, r: Readonly<SvmRange>): boolean {
  const allowed = r.a.access | r.a.aip;
  for (let g = 0; g < s.cfg.gpus.length; g++) {
    if ((allowed >> g) & 1) continue;
    const t = s.gpuPt[g]?.[r.pid];
    for (let vpn = r.start; t && vpn <= r.last; vpn++) if (t[vpn]) return true;
  }
  return false;
}

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
function map(env: Env, l: L, res?: unknown): StepResult {
  // *migrated = !r: svm_migrate_to_vram's -EDEADLK (kfdMigrateToVram) leaves the range unmigrated.
  if (res === 'EDEADLK') l.migrated = false;
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

/**
 * kfdSetAttr - the svm family's set_attr with kfd's trigger_migration and mapping steps, and
 * svm_range_add's in-place update of a range the request covers whole.
 *
 * Context: process context; as the svm family's set_attr.
 * Return: {err, applied}, as the family's.
 */
export function kfdSetAttr(base: Proc): Proc {
  const baseValidate = base.steps['validate'] as unknown as Handler<L>;
  // svm_range_add updates a range the request covers whole in place (and leaves one with the same
  // attributes alone): its prange->invalid stays. The family clones it; the clone takes the count
  // over. A range cut by the request is cloned and split in kfd too, and its pieces start at 0.
  // svm_range_split_head / svm_range_split_tail put the piece split off a range the request cuts on
  // remap_list when the cut is not aligned to the range's granularity; set_attr maps those last.
  const validate: Handler<L> = (env, l, r) => {
    const tree = treeRangesView(env.s, l.pid);
    const before = tree.filter((x) => invalidOf(x) > 0).map((x) => [x.start, x.last, invalidOf(x)] as const);
    const aligned = (at: number, gran: number): boolean => at % granularityPages(gran) === 0;
    const cuts: (readonly [number, number])[] = [];
    for (const x of tree) {
      if (x.start < l.start && l.start <= x.last && !aligned(l.start, x.a.gran))
        cuts.push([x.start, l.start - 1]);
      if (x.start < l.end && l.end <= x.last && !aligned(l.end, x.a.gran)) cuts.push([l.end, x.last]);
    }
    const res = baseValidate(env, l, r);
    const after = treeRangesView(env.s, l.pid);
    for (const [start, last, n] of before) {
      const now = after.find((x) => x.start === start && x.last === last);
      const live = now ? rangeById(env.s, now.id) : undefined;
      if (live && invalidOf(live) === 0) setInvalid(live, n);
      if (!now) count(env, EVICTED_RANGE_SPLIT);
    }
    if (after.some((x) => gpuOutsideKeepsPte(env.s, x))) count(env, NO_ACCESS_GPU_KEEPS_PTES);
    l.remapList = cuts.flatMap(([a, b]) =>
      after.filter((x) => x.start === a && x.last === b).map((x) => x.id),
    );
    return res;
  };
  const baseNext = base.steps['next'] as unknown as Handler<L>;
  const next: Handler<L> = (env, l, r) => {
    for (
      let id = l.todo.length ? undefined : l.remapList?.shift();
      id !== undefined;
      id = l.remapList?.shift()
    ) {
      const x = rangeById(env.s, id);
      const gpus = x ? kfdMapBitmap(env.s, x) : 0;
      if (x && gpus)
        return call('drv:validate_and_map', { rid: x.id, start: x.start, last: x.last, gpus }, 'mapped');
    }
    const res = baseNext(env, l, r);
    const out = res.k === 'ret' ? (res.v as { err?: string; applied?: boolean } | undefined) : undefined;
    if (out?.applied && out.err !== '0') count(env, SET_ATTR_FAILED_APPLIED);
    return res;
  };
  const steps: Record<string, Handler<L>> = { validate, revoke: trigger, map, next };
  return { ...base, steps: { ...base.steps, ...(steps as unknown as Proc['steps']) } };
}
