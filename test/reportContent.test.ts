// What every archived case's report says, in all three formats: no `undefined` and no raw JSON
// anywhere, the kernel configuration in the header, lockdep's dependency chain and unsafe-locking
// scenario (or the wait-for cycle) wherever run prints them, a driver identity that says what its
// hash covers and how today's driver compares, and the tags a fix's commit carries.
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeText } from '../archive/codeText.js';
import { driverIdentity } from '../archive/driverIdentity.js';
import { identityChange } from '../archive/identityChange.js';
import { listArchive } from '../archive/listArchive.js';
import { caseDriver } from '../cli/caseDriver.js';
import { noReadRetry } from '../drivers/broken/noReadRetry.js';
import { kernelOf } from '../model/kernelVersion.js';
import { explainCase } from '../report/explainCase.js';
import { explanationJson } from '../report/explanationJson.js';
import { renderMailText } from '../report/mailText.js';
import { renderMarkdown } from '../report/markdown.js';
import { witnessText } from '../report/witnessText.js';
import { caseFixture } from './caseFixture.js';

const cases = listArchive('counterexamples').cases;

/** Every string in a JSON value. */
function strings(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (x && typeof x === 'object') return Object.values(x).flatMap(strings);
  return [];
}

describe('archived reports', () => {
  it('the archive has cases with each kind of evidence', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  for (const { file, cx } of cases)
    it(`${file}: md, text and json say it all in words`, async () => {
      const loaded = await caseDriver(file, cx);
      const x = explainCase({
        cx,
        driver: loaded.driver,
        replay: `npx svmcheck replay ${file}`,
        driverToday: await driverIdentity(loaded.driver, loaded.module, cx.driver.hashScheme ?? 'text'),
        link: file,
      });
      const md = renderMarkdown(x);
      const text = renderMailText(x);
      const json = explanationJson(x);
      // The JSON's own structure is JSON; the text inside it must not be.
      // Wrapped mail lines are folded back for the content checks.
      const fold = (t: string): string => t.replace(/\s+/g, ' ');
      const texts = { md, text: fold(text), json: strings(JSON.parse(JSON.stringify(json))).join('\n') };
      for (const [format, t] of Object.entries(texts)) {
        expect(t, `${format}: undefined`).not.toMatch(/undefined/);
        expect(t, `${format}: raw JSON`).not.toMatch(/\{"|":|\[\{/);
        expect(t, `${format}: [object Object]`).not.toMatch(/\[object /);
        expect(t, `${format}: kernel version`).toContain(`Linux ${kernelOf(cx.program.config)}`);
        expect(t, `${format}: scale`).toMatch(/\d+ VA pages, \d+ system pages, \d+ GPUs? \(gpu0 /);
        expect(t, `${format}: what the hash covers`).toMatch(
          /sha256 over (the code|every byte) of \d+ files?/,
        );
        expect(t, `${format}: the driver today`).toMatch(
          /the driver(?: is unchanged|'s \d+ files? changed| changed)/,
        );
        expect(t, `${format}: Reported-by`).toContain(
          `Reported-by: svmcheck (case ${cx.fingerprint.slice(0, 12)})`,
        );
        expect(t, `${format}: Link`).toContain(`Link: ${file}`);
      }
      const w = x.witness?.data;
      if (w?.k === 'lock-order')
        for (const [format, t] of Object.entries(texts)) {
          expect(t, format).toContain('Dependency chain (each edge: the first time it was seen):');
          expect(t, format).toContain('Possible unsafe locking scenario:');
          expect(t, format).toContain('*** DEADLOCK ***');
        }
      if (w?.k === 'wait-for' && w.cycle.length)
        for (const t of Object.values(texts)) expect(t).toContain('Wait-for cycle');
      if (w) expect(json['witness']).toMatchObject({ data: { k: w.k } });
    });

  it('the archive covers lockdep and wait-for evidence', async () => {
    const kinds = new Set<string>();
    for (const { file, cx } of cases) {
      const { driver, module } = await caseDriver(file, cx);
      const x = explainCase({
        cx,
        driver,
        replay: 'r',
        driverToday: await driverIdentity(driver, module, cx.driver.hashScheme ?? 'text'),
        link: file,
      });
      if (x.witness) kinds.add(x.witness.data.k);
    }
    expect([...kinds]).toEqual(expect.arrayContaining(['lock-order']));
  });

  it("the state section names lock holders, migrations and driver fields in words, and 'preferred none' for no location", async () => {
    const all = await Promise.all(
      cases.map(async ({ file, cx }) => {
        const { driver, module } = await caseDriver(file, cx);
        return renderMarkdown(
          explainCase({
            cx,
            driver,
            replay: 'r',
            driverToday: await driverIdentity(driver, module),
            link: file,
          }),
        );
      }),
    );
    const joined = all.join('\n');
    expect(joined).toMatch(/`lock mmap_lock:0`: `held shared by gpu0 \(op \d+\)` → `free`/);
    expect(joined).toMatch(/`migration #0`: `none` → `migrate_vma #0 pid 0 \[\d+, \d+\): \d+ collected/);
    expect(joined).toContain('preferred none');
    expect(joined).toMatch(
      /`driver\.ranges\[0\]\.pm\[\d\] \(GPUs holding a PTE the driver programmed, per page, a bit per GPU\)`/,
    );
    expect(joined).toMatch(/`driver\.intents\[0\] \(own migration in flight/);
  });
});

describe('driver identity', () => {
  it('covers code, not comments, blank space or trailing commas; a code change is a change', () => {
    const src = readFileSync('drivers/broken/noReadRetry.ts', 'utf8');
    const reworded = src
      .replace(/^\/\/.*$/gm, '// reworded')
      .replace(/\n/g, '\n\n')
      .replace(/ {2}/g, '    ')
      .replace(/,(\s*[)\]}])/g, '$1');
    expect(reworded).not.toBe(src);
    expect(codeText(reworded)).toBe(codeText(src));
    expect(codeText(src.replace("'no-read-retry'", "'no-read-retry-x'"))).not.toBe(codeText(src));
    // Literals are kept byte for byte, comment-like text in them included.
    expect(codeText("const a = '// not a comment', b = /\\/\\//; // gone")).toBe(
      "const a='// not a comment',b=/\\/\\//;",
    );
    expect(codeText('const t = `x ${ {a: 1}.a } // kept`; /* gone */')).toBe(
      'const t=`x ${{a:1}.a} // kept`;',
    );
  });

  it('a user driver keeps its hash through a comment edit; a code edit names the file that changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmcheck-ident-'));
    mkdirSync(join(dir, 'd'));
    cpSync('drivers/broken/noReadRetry.ts', join(dir, 'd', 'mine.ts'));
    const fake = { ...noReadRetry };
    const before = await driverIdentity(fake, join(dir, 'd', 'mine.ts'));
    const src = readFileSync(join(dir, 'd', 'mine.ts'), 'utf8');
    writeFileSync(join(dir, 'd', 'mine.ts'), `// a new comment\n${src}`);
    const commented = await driverIdentity({ ...noReadRetry }, join(dir, 'd', 'mine.ts'));
    expect(commented.hash).toBe(before.hash);
    writeFileSync(join(dir, 'd', 'mine.ts'), src.replace("'no-read-retry'", "'no-read-retry-x'"));
    const edited = await driverIdentity({ ...noReadRetry }, join(dir, 'd', 'mine.ts'));
    expect(edited.hash).not.toBe(before.hash);
    const archived = {
      name: 'n',
      module: 'd/mine.ts',
      hash: before.hash,
      hashOf: before.hashOf,
      hashScheme: 'code' as const,
      fileHashes: before.fileHashes,
    };
    expect(identityChange(archived, edited)).toEqual({
      k: 'changed',
      changed: ['mine.ts'],
      added: [],
      removed: [],
    });
    expect(identityChange(archived, commented)).toEqual({ k: 'unchanged' });
    // A case archived before per-file hashes cannot say which file changed, and says so.
    const old = { name: archived.name, module: archived.module, hashOf: archived.hashOf };
    expect(identityChange({ ...old, hash: 'f'.repeat(64) }, edited)).toEqual({ k: 'changed-text', files: 1 });
  });

  it('new cases record the code scheme with a hash per file', async () => {
    const cx = await caseFixture();
    expect(cx.driver.hashScheme).toBe('code');
    expect(cx.driver.fileHashes).toHaveLength(cx.driver.hashOf.length);
  });

  it('lockdep scenario: columns where they fit, one row per line in time order where they do not', async () => {
    const lock = cases.find((c) => c.cx.driver.name === 'fence-resv-inversion');
    if (!lock) throw new Error('no fence-resv-inversion case');
    const { driver, module } = await caseDriver(lock.file, lock.cx);
    const x = explainCase({
      cx: lock.cx,
      driver,
      replay: 'r',
      driverToday: await driverIdentity(driver, module),
      link: 'l',
    });
    const w = x.witness?.data;
    if (!w) throw new Error('no witness');
    const wide = witnessText(w);
    const narrow = witnessText(w, 72);
    expect(wide.some((l) => l.length > 72)).toBe(true);
    expect(
      narrow.slice(narrow.indexOf('Possible unsafe locking scenario:')).every((l) => l.length <= 72),
    ).toBe(true);
    expect(narrow).toContain('  cpu0 (op 3):             lock(dma_resv);');
  });
});
