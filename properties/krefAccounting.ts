import type { FindingOf, Invariant } from './invariant.js';

/**
 * leaked: more references than holders (one nobody will put); overput: fewer (released while held);
 * destroyed-while-held: destruction begun while holders still point to it.
 */
export type KrefAccountingFinding = FindingOf<
  'leaked' | 'overput' | 'destroyed-while-held',
  { object: string; kref: number; holders: string[] }
>;

/**
 * The refcount contract of a driver's kref-counted objects (Driver.krefs): each holder that points
 * to the object owns exactly one reference. A kref above the holder count is a reference no holder
 * will put (the object outlives its last user: a leak, never released to its cache or freed); a
 * kref below it means some holder's reference was never taken or was put twice, so the object is
 * released (parked for a shrinker, or freed) while that holder still uses it.
 */
export const krefAccounting: Invariant = {
  id: 'kref-accounting',
  cls: 'refcount',
  meaning:
    "A refcounted driver object's kref (Driver.krefs: xe's drm_pagemaps) equals the number of holders pointing to it: never released or destroyed while one still holds it, never left with a reference nobody will put.",
  reads: ['drv'],
  check(s, _events, driver) {
    for (const k of driver.krefs?.(s) ?? []) {
      if (k.kref === k.holders.length && !(k.destroyed && k.holders.length > 0)) continue;
      return {
        code:
          k.kref > k.holders.length
            ? 'leaked'
            : k.kref < k.holders.length
              ? 'overput'
              : 'destroyed-while-held',
        at: {},
        data: { object: k.object, kref: k.kref, holders: [...k.holders] },
      } satisfies KrefAccountingFinding;
    }
    return null;
  },
};
