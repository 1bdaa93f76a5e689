// Upstream kfd on Linux 6.15 and later: svm_migrate_to_ram() sleeps on p->svms.lock
// (mutex_lock, kfd_migrate.c read at torvalds/linux 057ad0ef4da6) while do_swap_page() holds the
// faulting device page's lock (trylock_page() before migrate_to_ram since 1afaeb8293c9 "mm/migrate:
// Trylock device page in do_swap_page", v6.15). svm_range_restore_pages() holds the same
// svms->lock across svm_range_validate_and_map()'s hmm_range_fault() (kfd_svm.c, as stored at a
// release with kfd_smi_event_page_fault_end(node, p->lead_thread->pid, ...)); when its migration
// could not collect the page (locked: migrate_vma_collect_pmd's trylock fails, cpages 0, which
// svm_migrate_vram_to_ram() reports as success), hmm_range_fault() faults that device page of
// another owner (another hive's VRAM), and do_swap_page() finds its lock taken: 6.15 retries the
// fault at once, spinning with svms->lock held; 7.0 sleeps until the page is unlocked
// (softleaf_entry_wait_on_locked(), "mm: Fix a hmm_range_fault() livelock / starvation problem",
// v4, Fixes: 1afaeb8293c9). Either way the CPU fault never gets svms->lock: on 7.0 an ABBA
// deadlock, page lock against svms->lock. Not fixed in kfd as of 057ad0ef4da6; the reference
// driver (seed 004's design) takes svms->lock with a trylock there and, when it is busy, migrates
// the faulting page alone, as dmirror and nouveau do (drivers/svm/svmFault.ts migrateToRam).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { reference } from '../reference.js';
import type { SvmRamLocals } from '../svm/svmFault.js';
import { svmsLockSleeping } from './svmsLockSleeping.js';

export const kfdSvmsLockUnderFolioLock: Driver = defineDriver(
  withSteps<SvmRamLocals>(
    reference,
    'migrate_to_ram',
    { lock: svmsLockSleeping },
    {
      name: 'kfd-svms-lock-under-folio-lock',
      summary:
        "svm_range driver whose migrate_to_ram sleeps on svms->lock under do_swap_page's page lock (upstream kfd on 6.15+)",
      broken: {
        bug: "a CPU fault on a VRAM page holds the page's lock (do_swap_page, 6.15+) and sleeps on svms->lock, held by a GPU fault whose hmm_range_fault waits for that page lock: ABBA",
        fix: "none in kfd as of torvalds/linux 057ad0ef4da6 (kfd_migrate.c svm_migrate_to_ram: mutex_lock(&p->svms.lock)); exposed by 1afaeb8293c9 (v6.15) and made a sleep by 'mm: Fix a hmm_range_fault() livelock / starvation problem' (7.0); the reference trylocks svms->lock and, when it is busy, migrates the faulting page alone",
        expects: 'deadlock',
        layer: 'multi-gpu',
        kernel: '7.0',
        upstream: 'torvalds/linux 057ad0ef4da6',
        scenario: [
          "a page sits in one hive's VRAM; a GPU of another hive faults it and holds svms->lock while its migration, then its hmm_range_fault, reach the page",
          "a CPU read of the page locks it in do_swap_page and sleeps on svms->lock in migrate_to_ram; the GPU fault's do_swap_page waits for the page lock",
        ],
      },
    },
  ),
);
