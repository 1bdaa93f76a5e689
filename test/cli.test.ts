// Exit codes, JSON shapes and determinism of the command line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFixture } from './caseFixture.js';
import { cli } from './cliHarness.js';

describe('svmcheck run', () => {
  it('exits 0 on the reference driver and reports runs, seed and driver', async () => {
    const { code, out } = await cli('run', '--runs', '300', '--seed', '3', '--json', '--archive', 'none');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ ok: true, driver: 'reference', seed: 3, runs: 300 });
  });

  it("--kernel is the generated configurations' release, and the replay line repeats it", async () => {
    const { code, out } = await cli(
      'run',
      '--kernel',
      '6.15',
      '--runs',
      '50',
      '--seed',
      '3',
      '--json',
      '--archive',
      'none',
    );
    expect(code).toBe(0);
    const broken = await cli(
      'run',
      '--driver',
      'no-read-retry',
      '--kernel',
      '6.1',
      '--seed',
      '5',
      '--json',
      '--archive',
      'none',
    );
    expect(broken.code).toBe(1);
    const r = JSON.parse(broken.out) as { violation: { replay: string } };
    expect(r.violation.replay).toContain('--kernel 6.1 ');
    expect(JSON.parse(out)).toMatchObject({ ok: true, runs: 50 });
  });

  it('gives the same output for the same seed, byte for byte', async () => {
    const args = ['--driver', 'foreign-device-page', '--seed', '11', '--runs', '2000', '--archive', 'none'];
    const a = await cli('run', ...args);
    const b = await cli('run', ...args);
    expect(a.code).toBe(1);
    expect(a.out).toBe(b.out);
    const j1 = await cli(
      'run',
      '--suite',
      'fork',
      '--seed',
      '5',
      '--runs',
      '500',
      '--json',
      '--archive',
      'none',
    );
    const j2 = await cli(
      'run',
      '--suite',
      'fork',
      '--seed',
      '5',
      '--runs',
      '500',
      '--json',
      '--archive',
      'none',
    );
    expect(j1.out).toBe(j2.out);
  });

  it('prints a numbered counterexample with the replay command, and the replay reproduces it', async () => {
    const archive = mkdtempSync(join(tmpdir(), 'svmcheck-'));
    const first = await cli(
      'run',
      '--driver',
      'ignore-unmap',
      '--seed',
      '2',
      '--runs',
      '5000',
      '--json',
      '--archive',
      archive,
    );
    const r = JSON.parse(first.out) as { violation: { replay: string; invariant: string } };
    const argv = r.violation.replay.split(' ').slice(2);
    const again = await cli(...argv, '--json', '--archive', archive);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.out).violation.invariant).toBe(r.violation.invariant);
  });

  it.each([
    [['run', '--bogus'], /unknown flag --bogus/],
    [['run', '--runs', 'ten'], /--runs takes a whole number/],
    [['run', '--runs', '0'], /--runs must be between/],
    [['run', '--driver', 'nope'], /unknown driver 'nope'/],
    [['run', '--driver', './missing.js'], /does not exist/],
    [['run', '--suite', 'nope'], /unknown suite 'nope'/],
    [['run', '--path', 'x:y'], /--path must look like/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['replay'], /give one or more counterexample files/],
    [['run', '--kernel', '5.10'], /--kernel must be one of 6\.1, 6\.12, 6\.15, 7\.0, got '5\.10'/],
    [['conformance', '--kernel', '7.0'], /--kernel must be one of 6\.1, 6\.12, got '7\.0'/],
  ])('bad usage %j exits 2 with a clear message', async (argv, msg) => {
    const { code, err } = await cli(...(argv as string[]));
    expect(code).toBe(2);
    expect(err).toMatch(msg);
  });

  it('a module that does not export a driver is refused with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmcheck-'));
    const f = join(dir, 'notadriver.mjs');
    writeFileSync(f, 'export const x = 1;\n');
    const { code, err } = await cli('run', '--driver', f);
    expect(code).toBe(2);
    expect(err).toMatch(/does not export a driver/);
  });
});

describe('svmcheck drivers', () => {
  it('lists built-ins with the broken flag and expected class', async () => {
    const { code, out } = await cli('drivers', '--json');
    expect(code).toBe(0);
    const list = JSON.parse(out) as Array<{ name: string; broken: boolean; expects: string | null }>;
    expect(list.find((d) => d.name === 'reference')).toMatchObject({ broken: false, expects: null });
    expect(list.filter((d) => d.broken).length).toBeGreaterThanOrEqual(3);
  });
});

describe('svmcheck replay', () => {
  it('refuses malformed, truncated and future-version files with exit 2 naming the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmcheck-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"schemaVersion": 2, "driver": ');
    const b = await cli('replay', bad);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/bad\.json: not valid JSON, truncated or malformed/);
    const future = join(dir, 'future.json');
    writeFileSync(future, JSON.stringify({ schemaVersion: 9 }));
    const f = await cli('replay', future);
    expect(f.code).toBe(2);
    expect(f.err).toMatch(/schemaVersion 9 is newer/);
    const field = join(dir, 'field.json');
    const cx = await caseFixture();
    writeFileSync(field, JSON.stringify({ ...cx, program: { ...cx.program, config: {} } }));
    const g = await cli('replay', field);
    expect(g.code).toBe(2);
    expect(g.err).toMatch(/field\.json: field program\.config\.vaPages/);
  });
});
