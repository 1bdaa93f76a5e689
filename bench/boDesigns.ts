// Seed 004's VRAM BOs (`reference`: free-floating, sized to the migration window, evicted from the
// BO's own page list) against kfd's as they ship (`kfd`: one BO per whole range, evicted by walking
// svm_bo->range_list through the owning mm), on the same generated programs (issue 22 item 6): how
// often a program leaves a BO partly unused, how often eviction runs, gives up or leaves data in VRAM
// TTM discards, how often a range cannot get VRAM at all, and which invariant each run breaks first.
// Run: npx tsx bench/boDesigns.ts [--suite NAME] [--runs N] [--seed N]
import fc from 'fast-check';
import { pathToFileURL } from 'node:url';
import { execute, type ExecResult } from '../check/execute.js';
import { kfd } from '../drivers/kfd.js';
import { EVICTION_DISCARDED_WITH_DATA, EVICTION_MIGRATION_FAILED } from '../drivers/kfd/kfdEvictSvmBo.js';
import { reference } from '../drivers/reference.js';
import { programArb } from '../generators/programArb.js';
import { profileByName } from '../generators/profiles.js';
import type { Driver } from '../model/driver.js';

/** One design's tally over the programs: each figure counts programs. */
export interface BoDesignRow {
  driver: string;
  programs: number;
  /** A BO was filled only in part at some migration ("partially filled BO"). */
  partlyFilled: number;
  /** At the end, a live resident BO has VRAM pages holding no data of it. */
  leftPartlyUsed: number;
  /** TTM evicted a BO (an allocation found VRAM full). */
  evicted: number;
  /** Eviction gave up on pages that would not move (reference: busy pages; kfd: "Migration failed during eviction" or an error ending the walk). */
  gaveUp: number;
  /** kfd: the fence signalled with pages still holding data in the BO TTM then discards. */
  discardedWithData: number;
  /** kfd: a range larger than the VRAM (amdgpu_amdkfd_reserve_mem_limit, -ENOSPC). */
  rangeTooLarge: number;
  /** The first invariant each run broke (open findings included), by invariant. */
  broke: Record<string, number>;
}

const has = (r: ExecResult, ...keys: string[]): boolean => keys.some((k) => (r.stats.get(k) ?? 0) > 0);

function leavesPartlyUsed(d: Driver, r: ExecResult): boolean {
  return (d.bos?.(r.state) ?? []).some(
    (b) =>
      b.state === 'live' &&
      b.vram &&
      b.slots.some((p) => {
        const pg = r.state.phys[p];
        return !pg || pg.free || pg.zdd !== b.id;
      }),
  );
}

/** Runs `runs` programs of the suite (drawn with `seed`) on both designs. */
export function boDesigns(suite: string, runs: number, seed: number): BoDesignRow[] {
  const profile = profileByName(suite);
  if (!profile) throw new Error(`boDesigns: no suite '${suite}'`);
  const programs = fc.sample(programArb(profile), { numRuns: runs, seed });
  return [reference, kfd].map((d) => {
    const row: BoDesignRow = {
      driver: d.name,
      programs: programs.length,
      partlyFilled: 0,
      leftPartlyUsed: 0,
      evicted: 0,
      gaveUp: 0,
      discardedWithData: 0,
      rangeTooLarge: 0,
      broke: {},
    };
    for (const p of programs) {
      const r = execute(d, p);
      if (has(r, 'partially filled BO')) row.partlyFilled++;
      if (leavesPartlyUsed(d, r)) row.leftPartlyUsed++;
      if (has(r, 'eviction')) row.evicted++;
      if (
        has(
          r,
          'eviction gave up on busy pages',
          EVICTION_MIGRATION_FAILED,
          'svm_bo eviction: -EFAULT, walk ended',
        )
      )
        row.gaveUp++;
      if (has(r, EVICTION_DISCARDED_WITH_DATA)) row.discardedWithData++;
      if (has(r, 'svm_migrate_ram_to_vram: range larger than VRAM (-ENOSPC)')) row.rangeTooLarge++;
      const inv = r.violation?.invariant;
      if (inv) row.broke[inv] = (row.broke[inv] ?? 0) + 1;
    }
    return row;
  });
}

/** The rows as a text table, with the command that reproduces them. */
export function boDesignsText(suite: string, runs: number, seed: number, rows: BoDesignRow[]): string {
  const cols: Array<[string, (r: BoDesignRow) => string]> = [
    ['driver', (r) => r.driver],
    ['programs', (r) => String(r.programs)],
    ['BO filled in part', (r) => String(r.partlyFilled)],
    ['left partly used', (r) => String(r.leftPartlyUsed)],
    ['evicted', (r) => String(r.evicted)],
    ['eviction gave up', (r) => String(r.gaveUp)],
    ['VRAM discarded with data', (r) => String(r.discardedWithData)],
    ['range > VRAM', (r) => String(r.rangeTooLarge)],
    [
      'first invariant broken',
      (r) =>
        Object.entries(r.broke)
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || '-',
    ],
  ];
  const cells = [cols.map(([h]) => h), ...rows.map((r) => cols.map(([, f]) => f(r)))];
  const widths = cols.map((_, i) => Math.max(...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    `npx tsx bench/boDesigns.ts --suite ${suite} --runs ${runs} --seed ${seed}`,
    '',
    line(cells[0] ?? []),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.slice(1).map(line),
  ].join('\n');
}

function flag(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const suite = flag(argv, '--suite', 'migration');
  const runs = Number(flag(argv, '--runs', '2000'));
  const seed = Number(flag(argv, '--seed', '1'));
  if (!profileByName(suite) || !Number.isInteger(runs) || runs <= 0 || !Number.isInteger(seed)) {
    console.error(`boDesigns: bad arguments (--suite NAME --runs N --seed N): ${argv.join(' ')}`);
    process.exit(2);
  }
  console.log(boDesignsText(suite, runs, seed, boDesigns(suite, runs, seed)));
}
