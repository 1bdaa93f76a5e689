// `svmcheck conformance` argument handling that needs no VM: bad flags and files are usage errors
// (exit 2, one line naming the flag or file); --recheck compares saved boots with the model.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './cliHarness.js';

describe('svmcheck conformance', () => {
  it('rejects an out-of-range --programs with exit 2 naming the flag', async () => {
    const r = await cli('conformance', '--programs', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--programs must be between 1 and/);
  });

  it('names a missing --file and a bad line in a programs file', async () => {
    const missing = await cli('conformance', '--file', '/nonexistent/x.programs');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--file \/nonexistent\/x.programs: no such file/);
    const dir = mkdtempSync(join(tmpdir(), 'svmcheck-'));
    const f = join(dir, 'bad.programs');
    writeFileSync(f, 'program 1\nmmap 0 1 rw 0\nfrobnicate\nend\n');
    const bad = await cli('conformance', '--file', f);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad.programs:3: unknown step 'frobnicate'/);
  });

  it('--recheck compares saved boots with the current model, and fails on a disagreement', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmcheck-'));
    writeFileSync(join(dir, 'b.programs'), 'program 1\nmmap_at 0 448 1 rw 0\nread 0 0\nend\n');
    const serial = (value: number): string =>
      [
        '@@SVM {"op":"runner","version":2,"programs":1,"kernel":"6.1.192"}',
        '@@SVM {"p":1,"proc":0,"op":"begin"}',
        '@@SVM {"p":1,"proc":0,"s":0,"op":"mmap_at","ret":0,"errno":0}',
        `@@SVM {"p":1,"proc":0,"s":1,"op":"read","value":${value}}`,
        '@@SVM {"p":1,"proc":0,"op":"end","steps":2}',
        '@@SVM {"p":1,"op":"exit","status":"exit:0"}',
      ].join('\n');
    writeFileSync(join(dir, 'b.serial'), serial(0));
    const ok = await cli('conformance', '--recheck', dir);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/1 programs, 1 agreeing/);
    writeFileSync(join(dir, 'b.serial'), serial(5));
    const bad = await cli('conformance', '--recheck', dir, '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).byKind).toEqual({ 'read.value': 1 });
  });
});
