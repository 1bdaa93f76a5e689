// Reports rendered from one explanation: Markdown with every section, text within 72 columns for
// mailing lists whatever the input, JSON for tools, and the state table limited to what matters.
import { fc, it as fcIt } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { driverIdentity } from '../archive/driverIdentity.js';
import { listArchive } from '../archive/listArchive.js';
import { caseDriver } from '../cli/caseDriver.js';
import { noReadRetry } from '../drivers/broken/noReadRetry.js';
import { reference } from '../drivers/reference.js';
import { explainCase } from '../report/explainCase.js';
import { explanationJson } from '../report/explanationJson.js';
import { MAIL_WIDTH, renderMailText } from '../report/mailText.js';
import { renderMarkdown } from '../report/markdown.js';
import { wrapText } from '../report/wrapText.js';
import { caseFixture } from './caseFixture.js';
import { cli } from './cliHarness.js';

const cases = listArchive('counterexamples').cases;

describe('bug reports', () => {
  it('explains the fixture: trigger, state around the failing step, diagram', async () => {
    const cx = await caseFixture();
    const x = explainCase({
      cx,
      driver: noReadRetry,
      replay: 'npx svmcheck replay x.json',
      driverToday: await driverIdentity(noReadRetry, null),
      link: 'x.json',
    });
    expect(x.trigger).toEqual({
      step: 5,
      op: 2,
      agent: 'gpu0',
      operation: 'gpu0 write VMA #0 page 0',
      kind: 'gpu_write',
    });
    expect(x.now).toEqual({ verdict: 'violates', invariant: 'no-gpu-pte-after-munmap', problems: [] });
    expect(x.around.rows).toEqual([
      {
        va: 'pid 0 page 0',
        cells: [
          { before: 'process exited', after: 'process exited' },
          { before: 'none', after: 'none' },
          { before: 'none', after: 'gpu0 VRAM page 0 (freed) rw' },
          { before: 'none', after: 'none' },
          { before: '-', after: '-' },
        ],
      },
    ]);
    expect(x.diagram.participants.map((p) => p.id)).toEqual(['cpu0', 'mm', 'mn', 'drv0', 'gpu0']);
    const broken = x.diagram.items.find((i) => i.k === 'broken');
    expect(broken).toMatchObject({ over: 'gpu0', text: 'no-gpu-pte-after-munmap broken here' });
    expect(x.driver.today).toEqual({ k: 'unchanged' });
    const md = renderMarkdown(x);
    for (const h of [
      '## What broke',
      '## Steps to reproduce',
      '## State around the failing step',
      '## Interleaving',
      '## Sequence diagram',
      '## Replay',
    ])
      expect(md).toContain(h);
    expect(md).toContain('- **Expected:** no gpu0 PTE for pid 0 va page 0 (process exited)');
  });

  for (const { file, cx } of cases)
    it(`${file}: text within ${MAIL_WIDTH} columns, markdown and JSON`, async () => {
      const { driver, module } = await caseDriver(file, cx);
      const x = explainCase({
        cx,
        driver,
        replay: `npx svmcheck replay ${file}`,
        driverToday: await driverIdentity(driver, module, cx.driver.hashScheme ?? 'text'),
        link: file,
      });
      const text = renderMailText(x);
      for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(MAIL_WIDTH);
      // The subject wraps at the mail width: compare with line breaks folded.
      const fold = (t: string): string => t.replace(/\s+/g, ' ');
      expect(fold(text)).toContain(fold(`[svmcheck] ${cx.title.slice(0, 40)}`));
      const json = JSON.parse(JSON.stringify(explanationJson(x))) as { mermaid: string; steps: unknown[] };
      expect(json.mermaid.startsWith('sequenceDiagram\n')).toBe(true);
      expect(json.steps).toHaveLength(cx.program.ops.length);
      expect(renderMarkdown(x).split('\n')[0]).toBe(`# ${cx.title}`);
    });

  fcIt.prop([
    fc.string({ maxLength: 400 }),
    fc.integer({ min: 0, max: 30 }),
    fc.integer({ min: 0, max: 40 }),
  ])('wrapped text never exceeds the width and keeps every character', (text, indent, first) => {
    const lines = wrapText(text, MAIL_WIDTH, ' '.repeat(indent), `${'x'.repeat(first)} `);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(MAIL_WIDTH);
    expect(lines.join('').replace(/\s+/g, '')).toBe(`${'x'.repeat(first)}${text.replace(/\s+/g, '')}`);
  });

  it("shows the driver's ranges and buffer objects over the pages involved", async () => {
    const kfd = cases.find((c) => c.cx.driver.name === 'kfd-legacy');
    if (!kfd) throw new Error('no kfd-legacy case');
    const { driver } = await caseDriver(kfd.file, kfd.cx);
    const x = explainCase({
      cx: kfd.cx,
      driver,
      replay: 'r',
      driverToday: await driverIdentity(driver, null),
      link: kfd.file,
    });
    const range = x.around.driver.find((d) => d.what.startsWith('svm_range pid 0 '));
    expect(range?.before).not.toBe(range?.after);
    expect(renderMarkdown(x)).toContain("The driver's bookkeeping over those pages:");
    // The mirror driver has no ranges or BOs to show.
    const cx = await caseFixture();
    const today = await driverIdentity(noReadRetry, null);
    expect(
      explainCase({ cx, driver: noReadRetry, replay: 'r', driverToday: today, link: 'l' }).around.driver,
    ).toEqual([]);
  });

  it('says when a case breaks nothing any more, and why that is a problem for its status', async () => {
    const cx = await caseFixture();
    const x = explainCase({
      cx,
      driver: reference,
      replay: 'npx svmcheck replay x.json',
      driverToday: await driverIdentity(reference, null),
      link: 'x.json',
    });
    expect(x.trigger).toBeNull();
    expect(x.now.verdict).toBe('passes');
    const md = renderMarkdown(x);
    expect(md).toContain(
      "- no longer breaks no-gpu-pte-after-munmap, but its status 'expected' says it must",
    );
    expect(md).toContain('Replayed today, the case breaks nothing: there is no failing step to show.');
    expect(renderMailText(x)).toContain('Replayed today, the case breaks nothing');
  });

  it('mail text stays within 72 columns with a long replay command and driver path', async () => {
    const cx = await caseFixture();
    const long = `npx svmcheck replay ${'very/'.repeat(30)}deep-archive/${'x'.repeat(90)}.json`;
    const x = explainCase({
      cx: { ...cx, driver: { ...cx.driver, module: 'y'.repeat(120) } },
      driver: noReadRetry,
      replay: long,
      driverToday: { ...(await driverIdentity(noReadRetry, null)), hash: 'other' },
      link: `${'very/'.repeat(30)}x.json`,
    });
    expect(x.driver.today.k).toBe('changed');
    const lines = renderMailText(x).split('\n');
    // A trailer is one line (git interpret-trailers, b4): only the Link: tag may pass the width, whole.
    expect(lines).toContain(`Link: ${'very/'.repeat(30)}x.json`);
    for (const line of lines.filter((l) => !l.startsWith('Link: ')))
      expect(line.length, line).toBeLessThanOrEqual(MAIL_WIDTH);
  });

  it('svmcheck report renders each format, and refuses a bad format or a missing file', async () => {
    const file = cases[0]?.file as string;
    const md = await cli('report', file);
    expect(md.code).toBe(0);
    expect(md.out).toContain('```mermaid');
    const text = await cli('report', file, '--format', 'text');
    expect(text.out.startsWith('[svmcheck] ')).toBe(true);
    expect(JSON.parse((await cli('report', file, '--format', 'json')).out)).toHaveProperty('diagram');
    expect(await cli('report', file, '--format', 'pdf')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--format must be one of md, text, json/),
    });
    expect(await cli('report', 'nope.json')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/nope\.json: no such file/),
    });
  });
});
