// The svm_range driver's pointers between objects, for the KASAN-style driver-object-lifetime
// invariant (Driver.refs). In kfd_svm.c each of these is a pointer to a struct svm_range:
// - the mmu_interval_notifier embedded in a range (prange->notifier): a registered notifier's
//   invalidate callback does container_of() to the range, so a range freed before
//   mmu_interval_notifier_remove() is touched at the next invalidation of its interval;
// - svms->deferred_range_list (prange->deferred_list): svm_range_deferred_list_work pops and
//   handles each entry, so a range freed while queued is touched by the worker;
// - a child on its parent's child_list (prange->child_list): the worker handles children through
//   the parent, and a child whose parent was freed is reached through freed memory.
// (The BO a range holds, prange->svm_bo, is no-ref-to-freed-bo's.) svm_range_free() is the free;
// svm_range_unlink() + svm_range_remove_notifier() before it, as svm_range_handle_list_op() and
// svm_range_list_fini() do them, keep every pointer here live.
import type { DriverRef } from '../../model/driver.js';
import type { State } from '../../model/types.js';
import { svmStateView } from './svmState.js';

const rangeName = (id: number): string => `svm_range ${id}`;

/** Every pointer to a range the svm driver's registrations, lists and ranges hold. */
export function svmRefs(s: State): DriverRef[] {
  const st = svmStateView(s);
  const ids = new Set<number>();
  for (const r of st.ranges) ids.add(r.id);
  const out: DriverRef[] = [];
  for (const n of s.notifiers)
    if (n.alive)
      out.push({ holder: `mmu_interval_notifier ${n.id}`, target: rangeName(n.tag), live: ids.has(n.tag) });
  for (const id of st.deferred)
    out.push({ holder: 'svms->deferred_range_list', target: rangeName(id), live: ids.has(id) });
  for (const r of st.ranges)
    if (r.parent >= 0)
      out.push({
        holder: `${rangeName(r.id)} (child_list)`,
        target: rangeName(r.parent),
        live: ids.has(r.parent),
      });
  return out;
}
