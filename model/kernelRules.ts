// Every core-mm rule the model follows that differs between the Linux releases it can be configured
// for (Config.kernel), written once: per behaviour, which variant holds for which releases, and the
// source each variant was read in. Model code asks `kernelRule(cfg, id)` and matches on the variant;
// nothing outside model/ branches on a version. test/kernelRules.test.ts checks that every rule
// names every release exactly once; the README's table of versioned rules is generated from here.
//
// Sources: 6.1 is Debian's linux-source-6.1 (6.1.192), 6.12 Debian's linux-source-6.12 (6.12.118),
// both read as installed here; later code was read in torvalds/linux through the stored copies
// named by commit (the blob commit the index holds) or in the patch that made the change.
import type { Config } from './config.js';
import { kernelOf, type KernelVersion } from './kernelVersion.js';

export interface RuleVariant<V extends string> {
  value: V;
  kernels: readonly KernelVersion[];
  /** What this variant does, in the kernel's terms. */
  does: string;
  /** File, function and the release or commit it was read at. */
  source: string;
}

export interface KernelRuleSpec<V extends string> {
  behaviour: string;
  variants: readonly RuleVariant<V>[];
}

const rule = <V extends string>(spec: KernelRuleSpec<V>): KernelRuleSpec<V> => spec;

export const KERNEL_RULES = {
  can_change_pte_writable: rule({
    behaviour:
      'mprotect() making a private VMA writable again: which present ptes get write back without a fault (MM_CP_TRY_CHANGE_WRITABLE)',
    variants: [
      {
        value: 'dirty-exclusive',
        kernels: ['6.1'],
        does: 'only a dirty pte of a PageAnonExclusive page (pte_dirty() is checked first, for every VMA)',
        source: 'mm/mprotect.c can_change_pte_writable(), 6.1.192',
      },
      {
        value: 'exclusive',
        kernels: ['6.12', '6.15', '7.0'],
        does: 'any pte of a PageAnonExclusive page, clean or dirty (pte_dirty() is required of MAP_SHARED only)',
        source:
          'mm/mprotect.c can_change_pte_writable(), 6.12.118 (changed in 6.2, "mm/mprotect: allow clean exclusive anon pages to be writable"), and the same function in a stored 6.15-form mm/mprotect.c (blob 003fde4492c8: folio_maybe_mapped_shared() in change_pte_range(), pmd_devmap() still there); 7.0: can_change_pte_writable() -> can_change_private_pte_writable() (maybe_change_pte_writable(), then PageAnon && PageAnonExclusive, no pte_dirty() test) and set_write_prot_commit_flush_ptes() -> commit_anon_folio_batch() (PageAnonExclusive page by page in the batch of a large folio) in mm/mprotect.c of the linux-mm tree (linux-mm/linux-mm at 076d1ab51ae6, index id 59130804279; softleaf era: change_softleaf_pte(), lazy_mmu_mode_enable_with_ptes(), so after 6.18)',
      },
    ],
  }),
  do_swap_page_device_private: rule({
    behaviour:
      "a CPU fault on a device-private entry: how do_swap_page() holds the page across the owner's migrate_to_ram(), and what it does when it cannot",
    variants: [
      {
        value: 'reference',
        kernels: ['6.1', '6.12'],
        does: 'get_page() under the PTL, pte_unmap_unlock(), migrate_to_ram(), put_page(); the page is not locked',
        source: 'mm/memory.c do_swap_page(), 6.1.192 and 6.12.118 (identical)',
      },
      {
        value: 'trylock-retry',
        kernels: ['6.15'],
        does: 'trylock_page() under the PTL; locked: get_page(), migrate_to_ram(), unlock_page(), put_page(); contended: drop the PTL and return 0, the fault is retried at once',
        source:
          'mm/memory.c do_swap_page(), commit 1afaeb8293c9 "mm/migrate: Trylock device page in do_swap_page" (v6.15)',
      },
      {
        value: 'trylock-wait',
        kernels: ['7.0'],
        does: 'as 6.15, but a contended page lock is slept on (softleaf_entry_wait_on_locked()) before the fault is retried, instead of spinning',
        source:
          'mm/memory.c do_swap_page() and mm/filemap.c softleaf_entry_wait_on_locked(), as the patch writes them: "mm: Fix a hmm_range_fault() livelock / starvation problem" v4 (Thomas Hellström, 2026-02-05, Fixes: 1afaeb8293c9; the contended branch becomes pte_unmap() + softleaf_entry_wait_on_locked(entry, vmf->ptl), which drops the PTL and sleeps until the folio is unlocked, no reference taken); merged as b570f37a2ce4 in v7.0-rc4 (its 6.18.y / 6.19.y stable review postings name the commit)',
      },
    ],
  }),
  migrate_vma_fault_page: rule({
    behaviour:
      'migrate_vma_setup() / migrate_device_unmap() / migrate_vma_finalize() with a fault_page: who locks and unlocks it',
    variants: [
      {
        value: 'collect-locks',
        kernels: ['6.1', '6.12'],
        does: 'collect trylocks every page, the fault page included (a contended one is not collected); restore and finalize unlock every source page',
        source:
          'mm/migrate_device.c migrate_vma_collect_pmd(), migrate_device_unmap(), migrate_device_finalize(), 6.1.192 and 6.12.118',
      },
      {
        value: 'caller-locked',
        kernels: ['6.15', '7.0'],
        does: 'the fault page comes locked from do_swap_page(): collect takes it without a trylock, restore and finalize leave it locked; migrate_vma_setup() refuses an unlocked fault_page (-EINVAL)',
        source:
          'mm/migrate_device.c migrate_vma_setup(), migrate_vma_collect_pmd(), migrate_device_unmap(), __migrate_device_finalize(), blob 022a12deda53 (commit 1afaeb8293c9, v6.15); for 7.0 migrate_vma_collect_pmd() and migrate_vma_collect_huge_pmd() of a stored softleaf-era copy (index id 2009249849: "fault_folio == folio || folio_trylock(folio)")',
      },
    ],
  }),
  make_device_exclusive: rule({
    behaviour: 'granting a device exclusive access to anonymous pages (HMM_DMIRROR_EXCLUSIVE)',
    variants: [
      {
        value: 'range-rmap',
        kernels: ['6.1', '6.12'],
        does: "make_device_exclusive_range(): GUP the range, trylock each page, rmap-walk every mapping into device-exclusive entries (mapcount dropped); a failed device eviction's remove_migration_pte() later turns such an entry into a read-only pte with a leaked reference (finding F3)",
        source:
          'mm/rmap.c make_device_exclusive_range(), page_make_device_exclusive_one(), 6.1.192 and 6.12.118',
      },
      {
        value: 'one-pte',
        kernels: ['6.15', '7.0'],
        does: 'make_device_exclusive(mm, addr, owner, &folio): GUP one page writable (FOLL_SPLIT_PMD; not anonymous: -EOPNOTSUPP), folio_lock_killable() (sleeps), one MMU_NOTIFY_EXCLUSIVE of that page with the owner, folio_walk_start() of the single writable pte (changed: unlock, put, GUP again), ptep_clear_flush() into a device-exclusive entry; returns with the folio locked and referenced. lib/test_hmm.c dmirror_exclusive() calls it page by page, stores the ATOMIC entry, then folio_unlock() + folio_put(), and returns its errno as is',
        source:
          '6.15: mm/rmap.c make_device_exclusive() as in a stored 6.15-form mm/rmap.c (the retry: loop, owner argument, no folio_remove_rmap_pte(); index id 26590879) and the patch (David Hildenbrand, "mm/rmap: implement make_device_exclusive() using folio_walk instead of rmap walk", v6.15); lib/test_hmm.c dmirror_exclusive() and dmirror_atomic_map() of the same release (a stored copy, index id 40009054: make_device_exclusive(mm, addr, NULL, &folio)). 7.0: make_device_exclusive() read again, the same line for line (GUP FOLL_GET | FOLL_WRITE | FOLL_SPLIT_PMD, -EOPNOTSUPP unless anonymous and not hugetlb, folio_lock_killable(), MMU_NOTIFY_EXCLUSIVE with the owner, folio_walk_start() recheck with retry:, ptep_clear_flush(), make_device_exclusive_entry(), no rmap call), in mm/rmap.c of linux-mm/linux-mm (commit 0014dde7e945, index id 60706236110; after 6.18: it includes linux/leafops.h, and anon_vma_clone() takes an enum vma_operation) and of julianw1010/hydra-linux-7.0.0 (a fork: its Makefile reads VERSION 7, PATCHLEVEL 0, SUBLEVEL 0, EXTRAVERSION -hydra; its own mm->lazy_repl_enabled changes are outside the functions read) (commit e72a68798f9c, index id 52826954206); lib/test_hmm.c dmirror_exclusive() of linux-mm/linux-mm (commit 05ab51217205, index id 58875650829; kzalloc_obj() allocations, THP eviction in dmirror_device_evict_chunk()) is the same as the 6.15 copy',
      },
    ],
  }),
  device_exclusive_mapcount: rule({
    behaviour: "whether a device-exclusive entry counts in its page's mapcount",
    variants: [
      {
        value: 'dropped',
        kernels: ['6.1', '6.12'],
        does: 'page_make_device_exclusive_one() drops the rmap (page_remove_rmap) and the entry holds only the reference; restore_exclusive_pte() adds the rmap back; zap_nonpresent_ptes() puts the page without an rmap removal',
        source:
          'mm/rmap.c page_make_device_exclusive_one(), mm/memory.c restore_exclusive_pte() and zap_nonpresent_ptes(), 6.1.192 and 6.12.118',
      },
      {
        value: 'kept',
        kernels: ['6.15', '7.0'],
        does: 'the entry keeps the mapcount of the pte it replaced: restore_exclusive_pte() adds no rmap, zap_nonpresent_ptes() calls folio_remove_rmap_pte() for device-exclusive entries as for device-private ones',
        source:
          '6.15: David Hildenbrand, "mm/rmap: keep mapcount untouched for device-exclusive entries" (v6.15; the patch removes the folio_remove_rmap_pte() from make_device_exclusive() and the folio_add_anon_rmap_pte() from restore_exclusive_pte()); make_device_exclusive() of the stored mm/rmap.c (index id 26590879) has no rmap call. 7.0: mm/memory.c restore_exclusive_pte() (builds the pte, can_change_pte_writable() for write, set_pte_at(); no rmap call) and zap_nonpresent_ptes() (softleaf_is_device_private() || softleaf_is_device_exclusive(): folio_remove_rmap_pte() and folio_put()) in julianw1010/hydra-linux-7.0.0 (a fork: its Makefile reads VERSION 7, PATCHLEVEL 0, SUBLEVEL 0, EXTRAVERSION -hydra; its own mm->lazy_repl_enabled changes are outside the functions read) (index id 52588153749), and make_device_exclusive() without an rmap call in mm/rmap.c of linux-mm/linux-mm (index id 60706236110) and of the same fork (index id 52826954206)',
      },
    ],
  }),
  device_exclusive_migration: rule({
    behaviour:
      'evicting device memory (migrate_device_range()) whose page a device-exclusive entry maps (a device-coherent page made exclusive)',
    variants: [
      {
        value: 'left-as-is',
        kernels: ['6.1', '6.12'],
        does: 'try_to_migrate() leaves the entry, its reference keeps the page from migrating, and remove_migration_ptes() (check_pte() with PVMW_MIGRATION takes the entry for a migration entry) turns it into a read-only present pte without a notifier, leaking the reference (findings F2, F3)',
        source:
          'mm/rmap.c try_to_migrate_one(), mm/page_vma_mapped.c check_pte(), mm/migrate.c remove_migration_pte(), 6.1.192 and 6.12.118 (recorded on both: conformance/findings F2, F3)',
      },
      {
        value: 'migrated',
        kernels: ['6.15', '7.0'],
        does: 'try_to_migrate_one() finds the entry (it counts as a mapping) and replaces it like a pte: pte_clear(), a read-only migration entry (writable = is_writable_device_private_entry(), false for it), the rmap and reference go; the page migrates and the entry is restored as a read-only pte to the new page; check_pte() no longer takes device-exclusive entries for migration entries',
        source:
          '6.15: mm/rmap.c try_to_migrate_one() of the stored 6.15-form mm/rmap.c (index id 26590879: the non-present branch "pte_clear(); writable = is_writable_device_private_entry()"); David Hildenbrand, "mm/rmap: handle device-exclusive entries correctly in try_to_migrate_one()" and "mm/page_vma_mapped: device-exclusive entries are not migration entries" (v6.15). 7.0: try_to_migrate_one() with the same non-present branch under the softleaf names ("pte_clear(mm, address, pvmw.pte); writable = softleaf_is_device_private_write(entry);", then a read-only migration entry, folio_remove_rmap_pte(), folio_put()) in mm/rmap.c of linux-mm/linux-mm (commit 0014dde7e945, index id 60706236110) and of julianw1010/hydra-linux-7.0.0 (a fork: its Makefile reads VERSION 7, PATCHLEVEL 0, SUBLEVEL 0, EXTRAVERSION -hydra; its own mm->lazy_repl_enabled changes are outside the functions read) (index id 52826954206); mm/page_vma_mapped.c check_pte() of the same fork (index id 53028599566): with PVMW_MIGRATION only softleaf_is_migration() entries match, otherwise device-private and device-exclusive ones',
      },
    ],
  }),
  migrate_device_pfns: rule({
    behaviour:
      'evicting device memory by pfn: migrate_device_range() (a contiguous pfn range) beside migrate_device_pfns() (a list)',
    variants: [
      {
        value: 'range-only',
        kernels: ['6.1', '6.12'],
        does: 'only migrate_device_range(); get_page_unless_zero() (6.1) / folio_get_nontail_page() (6.12) and trylock per pfn',
        source: 'mm/migrate_device.c migrate_device_range(), 6.1.192 and 6.12.118',
      },
      {
        value: 'range-and-pfns',
        kernels: ['6.15', '7.0'],
        does: 'migrate_device_pfns() takes any list of pfns, each through the same migrate_device_pfn_lock() as migrate_device_range(); the model collects a list either way',
        source:
          '6.15: mm/migrate_device.c migrate_device_pfns(), migrate_device_pfn_lock(), blob 022a12deda53 (Matthew Brost, "mm/migrate: Add migrate_device_pfns", a14fa8ec9d81 as mirrored, v6.15). 7.0: migrate_device_pfns(), migrate_device_range() and migrate_device_pfn_lock() (folio_get_nontail_page(), folio_trylock()) of julianw1010/hydra-linux-7.0.0 (a fork: its Makefile reads VERSION 7, PATCHLEVEL 0, SUBLEVEL 0, EXTRAVERSION -hydra; its own mm->lazy_repl_enabled changes are outside the functions read) (index id 52607976138) and of the stored softleaf-era copy (index id 2009249849; its "pre-popluated" typo, corrected in the fork, places it earlier); in 7.0 migrate_device_pfns() also marks a large folio MIGRATE_PFN_COMPOUND and zeroes the list entries after it, as migrate_device_range() does (device_private_thp); the model refuses a THP page in a pfn list (ThpNotModelled, model/kernel/migrate.ts collectPfn)',
      },
    ],
  }),
  device_private_thp: rule({
    behaviour: 'device-private large folios (MIGRATE_VMA_SELECT_COMPOUND, split during migration)',
    variants: [
      {
        value: 'none',
        kernels: ['6.1', '6.12', '6.15'],
        does: 'migrate_vma_collect_pmd() splits a THP before collecting (or skips it); device pages are order 0; the model refuses migrate_vma of a THP page (ThpNotModelled), as before this rule',
        source:
          'mm/migrate_device.c migrate_vma_collect_pmd(), 6.1.192, 6.12.118, and blob 022a12deda53 (the 6.15 form, commit 1afaeb8293c9)',
      },
      {
        value: 'compound',
        kernels: ['7.0'],
        does: 'with MIGRATE_VMA_SELECT_COMPOUND and a PMD-aligned range, migrate_vma_collect_huge_pmd() collects a huge pmd (a THP with SELECT_SYSTEM, a device-private pmd entry of the owner with SELECT_DEVICE_PRIVATE) as one MIGRATE_PFN_COMPOUND entry under a pmd migration entry, and migrate_vma_collect_hole() a PMD-sized hole; otherwise the large folio is split (split_folio(), and migrate_vma_split_folio() for a pte-mapped one) and collected page by page; migrate_vma_pages() inserts a huge device-private pmd for a compound hole with a large destination (migrate_vma_insert_huge_pmd_page()) and splits a compound source whose destination is small (migrate_vma_split_unmapped_folio()); finalize restores the pmd whole. The device-private pmd entry is copied read-only at fork (copy_huge_pmd()), zapped whole, made read-only whole by mprotect (change_huge_pmd()), split into device-private ptes of the same large folio by a partial munmap/mprotect/MADV_DONTNEED, faulted by do_huge_pmd_device_private() (folio_trylock(), contended: retry; migrate_to_ram() with the head page) and reported by hmm_range_fault() with its order (hmm_vma_handle_absent_pmd()). lib/test_hmm migrates in PTRS_PER_PTE chunks with SELECT_COMPOUND, allocates device folios (small pages when none is free, or once after HMM_DMIRROR_FLAGS sets HMM_DMIRROR_FLAG_FAIL_ALLOC; the same for the system folio of a migration back), and its devmem fault migrates the whole folio from a pmd fault, one page from a pte fault. migrate_device_range() evicts a device folio whole (migrate_device_unmap() marks it MIGRATE_PFN_COMPOUND, its huge pmd becomes a pmd migration entry) and dmirror_device_evict_chunk() copies it into folio_alloc() of its order, mapped back under the same huge pmd. Model code: model/kernel/thp.ts, migrateCompound.ts, migrate_device_range.ts',
        source:
          'mm/migrate_device.c migrate_vma_collect_hole(), migrate_vma_collect_huge_pmd(), migrate_vma_split_folio(), migrate_vma_collect_pmd(), migrate_vma_insert_huge_pmd_page(), migrate_vma_split_unmapped_folio(), __migrate_device_pages(), __migrate_device_finalize() as in a stored copy of the softleaf (leafops.h) era, index id 2009249849; Balbir Singh\'s series "mm: support device-private THP" as posted (v5, 2025-09-08; f26b0654d006 "mm/migrate_device: implement THP migration of zone device pages" as mirrored): copy_huge_pmd(), zap_huge_pmd(), change_huge_pmd(), __split_huge_pmd_locked() of a device-private entry, do_huge_pmd_device_private() (mm/huge_memory.c), lib/test_hmm.c THP support and the dmirror_devmem_fault() vmf->pte fixup; mm/hmm.c hmm_vma_handle_absent_pmd() (stored copy, index id 316770765); migrate_device_unmap() and migrate_vma_collect_huge_pmd() of the stored copy (index id 2009249849); lib/test_hmm.c dmirror_device_evict_chunk() and HMM_DMIRROR_FLAG_FAIL_ALLOC in dmirror_migrate_alloc_and_copy() / dmirror_devmem_fault_alloc_and_copy() as the series posts them ("lib/test_hmm: add HMM_DMIRROR_FLAG_FAIL_ALLOC", 2025-07-03); tools/testing/selftests/mm/hmm-tests.c blob 0eaed89c18ae (migrate_anon_huge_*). The series landed after 6.15 and before 7.0 (posted September 2025; the release, 6.19 by its date, is inferred, not read from a tag)',
      },
    ],
  }),
  folio_batch_size: rule({
    behaviour:
      "how many folios a CPU's LRU batch holds before folio_add_lru() moves them to the LRU (model/kernel/lruBatch.ts)",
    variants: [
      {
        value: '15',
        kernels: ['6.1'],
        does: 'PAGEVEC_SIZE 15: the 15th folio queued moves the batch to the LRU',
        source:
          'mm/swap.c folio_add_lru() (folio_batch_add() full: folio_batch_move_lru()) with include/linux/pagevec.h PAGEVEC_SIZE, 6.1.192',
      },
      {
        value: '31',
        kernels: ['6.12', '6.15', '7.0'],
        does: 'PAGEVEC_SIZE 31 ("mm: increase folio batch size"), later renamed FOLIO_BATCH_SIZE with the same value',
        source:
          'mm/swap.c folio_add_lru() with include/linux/pagevec.h PAGEVEC_SIZE, 6.12.118; include/linux/folio_batch.h FOLIO_BATCH_SIZE 31 in the 2026 rename posting',
      },
    ],
  }),
} as const;

export type KernelRuleId = keyof typeof KERNEL_RULES;
export type RuleValue<K extends KernelRuleId> = (typeof KERNEL_RULES)[K]['variants'][number]['value'];

/** The variant of rule `id` that holds for the configuration's kernel. */
export function kernelRule<K extends KernelRuleId>(cfg: Pick<Config, 'kernel'>, id: K): RuleValue<K> {
  const k = kernelOf(cfg);
  const variants: readonly RuleVariant<string>[] = KERNEL_RULES[id].variants;
  const v = variants.find((x) => x.kernels.includes(k));
  if (!v) throw new Error(`kernel rule ${id} names no variant for Linux ${k}`);
  return v.value as RuleValue<K>;
}
