// An open finding is recognised by what the failed run shows, not by its invariant alone: each
// archived open case of kfd and xe is explained by its own entry of Driver.openFindings, and no
// deliberately broken variant built on them is (else a soak would tally a new bug as a known one).
import { describe, expect, it } from 'vitest';
import { listArchive } from '../archive/listArchive.js';
import { caseDriver } from '../cli/caseDriver.js';
import { execute } from '../check/execute.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { openFindingFor, openInvariants } from '../model/openFinding.js';

const listing = listArchive('counterexamples');
const shipped = BUILTIN_DRIVERS.filter((d) => !d.broken && d.openFindings?.length);

describe('open findings are recognised by their own predicates', () => {
  it('kfd and xe have open findings, each naming an archived open case of that driver', () => {
    expect(shipped.map((d) => d.name).sort()).toEqual(['kfd', 'xe', 'xe-p2p']);
    for (const d of shipped)
      for (const f of d.openFindings ?? []) {
        if (typeof f === 'string') throw new Error(`${d.name}: '${f}' is a bare invariant`);
        const c = listing.cases.find((x) => x.file.endsWith(`/${f.case}.json`));
        expect(c?.cx.status, `${d.name}: ${f.case}`).toBe('open');
      }
  });

  for (const d of shipped.filter((x) => x.name !== 'xe-p2p'))
    for (const { file, cx } of listing.cases.filter(
      (c) => c.cx.driver.name === d.name && c.cx.status === 'open',
    )) {
      it(`${file} is explained by its own open finding of ${d.name}`, () => {
        const r = execute(d, cx.program);
        expect(r.violation?.invariant).toBe(cx.violation.invariant);
        if (!r.violation) return;
        const own = file.replace(/^.*\//, '').replace(/\.json$/, '');
        expect(openFindingFor(d.openFindings, r.violation, r.state, r.stats)).toBe(own);
      });
    }

  for (const { file, cx } of listing.cases.filter((c) => c.cx.status !== 'fixed'))
    it(`${file}: a broken variant's failure is not taken for its base's open finding`, async () => {
      const { driver } = await caseDriver(file, cx);
      if (!driver.broken || !driver.openFindings?.length) return;
      const r = execute(driver, cx.program);
      if (!r.violation) throw new Error(`${file} does not fail`);
      expect(openFindingFor(driver.openFindings, r.violation, r.state, r.stats)).toBeUndefined();
    });

  it("a driver's invariants are listed once each, in order", () => {
    const kfd = BUILTIN_DRIVERS.find((d) => d.name === 'kfd');
    expect(openInvariants(kfd?.openFindings)).toEqual([
      'gpu-pte-honours-attributes',
      'no-gpu-pte-after-munmap',
      'xnack-off-restore-fresh',
      'mirror-consistency',
      'xnack-off-mapped',
      'permitted-access-served',
      'vram-accounting',
    ]);
  });
});
