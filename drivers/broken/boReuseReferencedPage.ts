// The reference svm_range driver that hands out VRAM whose struct page is still referenced: a new
// BO may take any VRAM no BO reserves, and the copy re-initialises a page even while its old
// holder (do_swap_page) keeps a reference. svm_migrate_vma's 'newbo' and 'fill' steps replaced
// (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { spawn } from '../../model/engine.js';
import { migrationById } from '../../model/kernel/migrate.js';
import { initDevicePage } from '../../model/mem.js';
import { block, bumpCounter, call, count, yieldTo } from '../../model/proc.js';
import { PAGES, mut } from '../../model/touched.js';
import type { State } from '../../model/types.js';
import { reference } from '../reference.js';
import { allocBo, boById, boRef, evictionFence, evictionVictim, holdNode } from '../svm/svmBo.js';
import type { SvmMigrateVmaLocals } from '../svm/svmMigrate.js';
import { rangeById, svmStateView } from '../svm/svmState.js';

/** The bug's allocator: VRAM pages no BO reserves, whether or not their struct page is free. */
function unreservedSlots(s: State, gpu: number): number[] {
  const base = s.vramBase[gpu] ?? 0;
  const n = s.cfg.gpus[gpu]?.vram ?? 0;
  const taken = new Set(
    svmStateView(s)
      .bos.filter((b) => b.gpu === gpu && b.vram)
      .flatMap((b) => b.slots),
  );
  const out: number[] = [];
  for (let i = base; i < base + n; i++) if (!taken.has(i)) out.push(i);
  return out;
}

export const boReuseReferencedPage: Driver = defineDriver(
  withSteps<SvmMigrateVmaLocals>(
    reference,
    'svm_migrate_vma',
    {
      newbo(env, l) {
        const s = env.s;
        const range = rangeById(s, l.rid);
        const bo = allocBo(s, l.gpu, l.pid, l.start, l.n, unreservedSlots(s, l.gpu));
        if (bo && range) {
          holdNode(s, range, bo.id);
          l.bo = bo.id;
          return yieldTo('copy');
        }
        const victim = l.evicted ? undefined : evictionVictim(s, l.gpu);
        if (!victim) {
          count(env, 'VRAM full, nothing to evict: stays in system memory');
          return yieldTo('copy');
        }
        l.evicted = true;
        victim.evicting = true;
        bumpCounter(s, evictionFence(victim.id), 1);
        spawn(s, 'kworker', -1, 'drv:evict_bo', { bo: victim.id, cause: l.rid });
        count(env, 'eviction');
        return block({ k: 'counter', key: evictionFence(victim.id), until: 0 });
      },
      fill(env, l) {
        const s = env.s;
        const m = migrationById(s, l.mig);
        const bo = boById(s, l.bo);
        const full = m.src.every((x) => x.migrate);
        m.src.forEach((src, i) => {
          const page = bo && bo.state === 'live' && bo.vram ? bo.slots[i] : undefined;
          if (!src.migrate || page === undefined) return;
          const pg = s.phys[page];
          // The bug: no check that the page is really free before it starts a new life.
          if (pg && pg.zdd >= 0) count(env, 'VRAM page reused');
          initDevicePage(s, page, l.bo);
          boRef(s, l.bo);
          const d = s.phys[page];
          if (d) mut(PAGES, d).data = src.hole ? 0 : (s.phys[src.page]?.data ?? 0);
          m.dst[i] = page;
        });
        if (bo && !full && m.dst.some((x) => x >= 0)) count(env, 'partially filled BO');
        return call('migrate_vma_pages', { mig: l.mig }, 'fin');
      },
    },
    {
      name: 'bo-reuse-referenced-page',
      summary:
        'reference svm_range driver that re-initialises VRAM pages still referenced from an earlier life (svm_migrate_get_vram_page)',
      broken: {
        bug: 'VRAM of a freed or evicted BO is handed to a new BO while a device page in it is still referenced (do_swap_page has not dropped its reference yet); the page is re-initialised under the old holder',
        fix: 'drm/amdkfd: Fix svm_bo and vram page refcount (2025): a device page is reused only after it is really freed',
        expects: 'refcount',
        layer: 'vram-bo',
        scenario: [
          'a CPU fault holds a VRAM page (do_swap_page) while its data leaves and its BO gives the VRAM back',
          'a new migration re-initialises that page while the old reference is still held',
        ],
      },
    },
  ),
);
