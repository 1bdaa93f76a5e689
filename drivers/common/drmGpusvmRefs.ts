// drm_gpusvm's pointers between its own objects, for the KASAN-style driver-object-lifetime
// invariant (Driver.refs), as drm_gpusvm.c holds them (drm_gpusvm.h: struct drm_gpusvm_notifier,
// struct drm_gpusvm_range), shared by the drivers that model drm_gpusvm (gpusvm, xe):
// - a registered mmu_interval_notifier is embedded in its struct drm_gpusvm_notifier
//   (notifier->notifier): drm_gpusvm_notifier_invalidate() does container_of() to it, so a
//   gpusvm notifier freed (drm_gpusvm_notifier_free) before mmu_interval_notifier_remove() is
//   touched at the next invalidation of its interval;
// - each range points to the notifier whose tree holds it (range->notifier): the invalidation
//   walks the notifier's ranges and drm_gpusvm_range_remove() unlinks the range from it, freeing
//   the notifier only once its tree is empty, so a notifier freed while ranges remain is reached
//   through freed memory;
// - the driver's garbage-collector list to its ranges (xe_svm_garbage_collector_add_range): the
//   collector pops and removes each, so a range freed while queued is touched by it.
import type { DriverRef } from '../../model/driver.js';

/** drm_gpusvm's objects as a driver keeps them, by id. */
export interface DrmGpusvmObjects {
  /** The registered mmu_interval_notifiers drm_gpusvm inserted (notifier ids). */
  registered: readonly number[];
  /** The allocated struct drm_gpusvm_notifier, by the id of the interval notifier each embeds. */
  notifiers: readonly number[];
  ranges: readonly { readonly id: number; readonly nid: number }[];
  /** The garbage collector's list, range ids. */
  gc: readonly number[];
}

const notifierName = (nid: number): string => `drm_gpusvm_notifier ${nid}`;
const rangeName = (id: number): string => `drm_gpusvm_range ${id}`;

/** Every pointer drm_gpusvm's registrations, ranges and the collector's list hold to its objects. */
export function drmGpusvmRefs(o: DrmGpusvmObjects): DriverRef[] {
  const notifiers = new Set(o.notifiers);
  const ranges = new Set(o.ranges.map((r) => r.id));
  const out: DriverRef[] = [];
  for (const id of o.registered)
    out.push({ holder: `mmu_interval_notifier ${id}`, target: notifierName(id), live: notifiers.has(id) });
  for (const r of o.ranges)
    out.push({
      holder: `${rangeName(r.id)} (range->notifier)`,
      target: notifierName(r.nid),
      live: notifiers.has(r.nid),
    });
  for (const id of o.gc)
    out.push({ holder: 'the garbage collector list', target: rangeName(id), live: ranges.has(id) });
  return out;
}
