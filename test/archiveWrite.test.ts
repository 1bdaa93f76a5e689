// Writing into the archive: atomic, deduplicated by fingerprint, never replacing different content,
// and safe when several processes write the same case at the same instant.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { archiveCase } from '../archive/archiveCase.js';
import { caseFixture } from './caseFixture.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'svmcheck-write-'));

describe('archiveCase', () => {
  it('creates the file and its report, then finds an identical one already there', async () => {
    const dir = join(tmp(), 'new', 'archive');
    const cx = await caseFixture();
    const a = archiveCase(dir, cx, '# report\n');
    expect(a.outcome).toBe('created');
    expect(a.json).toMatch(/no-read-retry-[0-9a-f]{12}\.json$/);
    expect(JSON.parse(readFileSync(a.json, 'utf8'))).toEqual(cx);
    expect(readFileSync(a.report, 'utf8')).toBe('# report\n');
    expect(archiveCase(dir, cx, '# report\n').outcome).toBe('identical');
    expect(readdirSync(dir).sort()).toEqual([a.json, a.report].map((p) => p.slice(dir.length + 1)).sort());
  });

  it('never overwrites an archived file with different content, nor an edited report', async () => {
    const dir = tmp();
    const cx = await caseFixture();
    const first = archiveCase(dir, cx, '# report\n');
    const edited = readFileSync(first.json, 'utf8').replace('"status": "expected"', '"status": "fixed"');
    writeFileSync(first.json, edited);
    writeFileSync(first.report, '# edited by a person\n');
    expect(archiveCase(dir, cx, '# report\n').outcome).toBe('kept-existing');
    expect(readFileSync(first.json, 'utf8')).toBe(edited);
    expect(readFileSync(first.report, 'utf8')).toBe('# edited by a person\n');
  });

  it('four processes writing the same 40 cases at the same instant leave one intact file each', async () => {
    const root = tmp();
    const cx = await caseFixture();
    const cxFile = join(root, 'cx.json');
    writeFileSync(cxFile, JSON.stringify(cx));
    const mod = pathToFileURL(resolve('dist/archive/archiveCase.js')).href;
    const start = Date.now() + 1500;
    // Each child waits for the same instant, then archives the case into 40 fresh directories.
    const script = `
      import { archiveCase } from ${JSON.stringify(mod)};
      import { readFileSync } from 'node:fs';
      const cx = JSON.parse(readFileSync(${JSON.stringify(cxFile)}, 'utf8'));
      while (Date.now() < ${start});
      const out = [];
      for (let i = 0; i < 40; i++) out.push(archiveCase(${JSON.stringify(root)} + '/d' + i, cx, '# r\\n').outcome);
      console.log(JSON.stringify(out));`;
    const child = (): Promise<string[]> =>
      new Promise((done, fail) => {
        const p = spawn(process.execPath, ['--input-type=module', '-e', script], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('error', fail);
        p.on('close', (code) =>
          code === 0 ? done(JSON.parse(out) as string[]) : fail(new Error(`child exited ${code}`)),
        );
      });
    const results = await Promise.all([child(), child(), child(), child()]);
    const expected = `${JSON.stringify(cx, null, 2)}\n`;
    for (let i = 0; i < 40; i++) {
      const outcomes = results.map((r) => r[i]);
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'identical')).toHaveLength(3);
      const files = readdirSync(join(root, `d${i}`)).sort();
      expect(files).toHaveLength(2);
      const json = files.find((f) => f.endsWith('.json')) as string;
      expect(readFileSync(join(root, `d${i}`, json), 'utf8')).toBe(expected);
    }
  });
});
