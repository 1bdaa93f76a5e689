// The reference svm_range driver whose eviction worker migrates only the pages of the range that
// needed the VRAM and then frees the BO: evict_bo's 'start', 'fin' and 'done' steps replaced (the
// last runs the reference's own first; withSteps and stepOf, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { stepOf } from '../../api/stepOf.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { migrateVmaFinalize } from '../../model/kernel/migrate.js';
import { call, count, goto } from '../../model/proc.js';
import { reference } from '../reference.js';
import { boById } from '../svm/svmBo.js';
import { pagesWithData, type SvmEvictLocals } from '../svm/svmEvict.js';
import { hiveOwner } from '../svm/svmMigrate.js';
import { rangeById } from '../svm/svmState.js';

const done = stepOf<SvmEvictLocals>(reference, 'evict_bo', 'done');

export const boEvictOneRange: Driver = defineDriver(
  withSteps<SvmEvictLocals>(
    reference,
    'evict_bo',
    {
      start(env, l) {
        const s = env.s;
        const bo = boById(s, l.bo);
        if (!bo || bo.state !== 'live' || !bo.vram) return goto('done');
        // The bug: only the pages of the range that needed the VRAM, not the BO's own page list.
        const r = rangeById(s, l.cause);
        const pages = pagesWithData(s, bo, r ? { pid: r.pid, start: r.start, last: r.last } : undefined);
        if (pages.length === 0) return goto('done');
        const sel = { sys: false, priv: true, coh: true };
        const owner = hiveOwner(s.cfg, bo.gpu);
        const args = { pages, pid: -1, start: -1, n: pages.length, owner, sel, faultPage: -1 };
        return call('migrate_vma_setup', args, 'setup');
      },
      fin(env, l) {
        const { done: moved } = migrateVmaFinalize(env, l.mig);
        count(env, 'pages evicted', moved);
        return goto('done'); // one pass, no retry of what stayed
      },
      done(env, l, r) {
        const next = done(env, l, r);
        // ... and the BO is freed with its VRAM, whatever pages of other ranges still use it.
        const bo = boById(env.s, l.bo);
        if (bo && bo.state !== 'freed') {
          bo.state = 'freed';
          bo.ref = 0;
        }
        return next;
      },
    },
    {
      name: 'bo-evict-one-range',
      summary:
        "reference svm_range driver whose eviction migrates one range's pages and frees the BO (svm_range_evict_svm_bo_worker)",
      broken: {
        bug: "eviction migrates only the pages of the range that needed the VRAM and frees the BO while other ranges' pages still live in it",
        fix: "seed 004: eviction must migrate all pages still using the BO, from the BO's own page list",
        expects: 'refcount',
        layer: 'vram-bo',
        scenario: [
          'two ranges keep pages in one BO; VRAM pressure evicts it',
          "only the triggering range's pages move, then the BO is freed under the other range's pages",
        ],
      },
    },
  ),
);
