// Every archived counterexample is replayed and held to its status (the archive is a manifest of
// expected outcomes, checked like TLA+ Examples' manifest): open and expected cases still break
// their invariant, fixed ones pass, and no operation resolves differently from when it was archived.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { driverIdentity } from '../archive/driverIdentity.js';
import { listArchive } from '../archive/listArchive.js';
import { replayArchived } from '../archive/replayArchived.js';
import { statusProblems } from '../archive/statusProblems.js';
import { caseDriver } from '../cli/caseDriver.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { explainCase } from '../report/explainCase.js';
import { renderMarkdown } from '../report/markdown.js';
import { statusProblemText } from '../report/statusProblemText.js';

const listing = listArchive('counterexamples');

describe('counterexamples/', () => {
  it('holds the kfd-legacy case, the first real svm_range issue', () => {
    expect(listing.cases.some((c) => c.cx.driver.name === 'kfd-legacy')).toBe(true);
  });

  it('every file loads', () => {
    expect(listing.errors.map((e) => e.message)).toEqual([]);
  });

  it('has a case for every broken built-in driver: expected for a mutation, open for upstream behaviour', () => {
    for (const d of BUILTIN_DRIVERS.filter((x) => x.broken)) {
      // An entry that is upstream's own behaviour (broken.upstream) is a real kernel bug: open.
      const status = d.broken?.upstream ? 'open' : 'expected';
      const mine = listing.cases.filter((c) => c.cx.driver.name === d.name && c.cx.status === status);
      for (const c of mine)
        expect(c.cx.violation.class, `${c.file}: the driver expects ${d.broken?.expects}`).toBe(
          d.broken?.expects,
        );
      expect(
        mine.length,
        `no archived case for '${d.name}': npx svmcheck run --driver ${d.name} --seed S --time 60 --runs 1000000 (see counterexamples/README.md)`,
      ).toBeGreaterThan(0);
    }
  });

  for (const { file, cx } of listing.cases) {
    it(`${file} (${cx.status}) replays as its status says`, async () => {
      const { driver } = await caseDriver(file, cx);
      const r = replayArchived(cx, driver);
      expect(statusProblems(cx, r).map((p) => `${file}: ${statusProblemText(p, cx)}`)).toEqual([]);
      if (cx.status !== 'fixed') expect(r.violation?.invariant).toBe(cx.violation.invariant);
      const md = file.replace(/\.json$/, '.md');
      expect(existsSync(md), `${md} is missing: npx svmcheck report ${file} > ${md}`).toBe(true);
      // Title and steps to reproduce come from the file alone; the trace below them follows the model.
      const written = readFileSync(md, 'utf8');
      expect(written.split('\n')[0]).toBe(`# ${cx.title}`);
      const steps = (text: string): string[] => text.split('\n').filter((l) => /^\d+\. `/.test(l));
      const fresh = renderMarkdown(
        explainCase({
          cx,
          driver,
          replay: `npx svmcheck replay ${file}`,
          driverToday: await driverIdentity(driver, null, cx.driver.hashScheme ?? 'text'),
          link: file,
        }),
      );
      expect(steps(written)).toEqual(steps(fresh));
      expect(steps(written)).toHaveLength(cx.program.ops.length);
    });
  }
});
