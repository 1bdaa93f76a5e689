// The bug catalog: docs/catalog.md is generated from the drivers and must not drift; selfcheck
// catches every entry with its documented class.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfcheck } from '../check/selfcheck.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { catalogMarkdown } from '../report/catalogMarkdown.js';

describe('bug catalog', () => {
  it('docs/catalog.md is what `svmcheck catalog --md` generates', () => {
    const committed = readFileSync(join(import.meta.dirname, '..', 'docs', 'catalog.md'), 'utf8');
    expect(committed).toBe(catalogMarkdown(BUILTIN_DRIVERS));
  });

  it('every entry names its layer, upstream fix and a two-line scenario', () => {
    for (const d of BUILTIN_DRIVERS.filter((x) => x.broken)) {
      expect(d.broken?.fix.length, d.name).toBeGreaterThan(10);
      expect(
        d.broken?.scenario.every((l) => l.length > 10),
        d.name,
      ).toBe(true);
    }
  });

  it('selfcheck detects every entry with its expected class, and the correct drivers pass', () => {
    const r = selfcheck(BUILTIN_DRIVERS, { secondsPerEntry: 30, seeds: 1, referenceRuns: 300 });
    expect(r.entries.filter((e) => !e.detected).map((e) => e.driver)).toEqual([]);
    expect(r.entries.filter((e) => !e.expectedClass).map((e) => e.driver)).toEqual([]);
    expect(r.summary.referencesPassed).toBe(true);
  });

  // The entries added with issue 17's invariants: each is caught by its own invariant (not only by
  // its class), within 60 s, shrunk to at most 8 operations.
  it.each([
    ['svm-cow-child-sigbus', 'permitted-access-served'],
    ['svm-gpu-ro-ignored', 'gpu-pte-honours-attributes'],
    ['svm-drain-misses-soft-ring', 'no-stale-fault-state'],
    ['mirror-free-on-unmap', 'driver-object-lifetime'],
    ['svm-free-keeps-notifier', 'driver-object-lifetime'],
    ['svm-deferred-unpinned-mm', 'driver-object-lifetime'],
  ])('%s is caught by %s within 60 s in at most 8 operations', (name, invariant) => {
    const d = BUILTIN_DRIVERS.find((x) => x.name === name);
    if (!d) throw new Error(name);
    const [e] = selfcheck([d], { secondsPerEntry: 60, seeds: 1, referenceRuns: 1 }).entries;
    expect(e?.invariant).toBe(invariant);
    expect(e?.expectedClass).toBe(true);
    expect(e?.shrunkOps).toBeLessThanOrEqual(8);
    expect(e?.secondsToDetect[0]).toBeLessThan(60);
  });
});
