// Bad input of every kind: one message naming the file, field or flag, exit code 2, no stack
// trace, and the archive left exactly as it was.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFixture } from './caseFixture.js';
import { cli, cliWith } from './cliHarness.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'svmcheck-bad-'));

function digest(dir: string): string {
  const h = createHash('sha256');
  for (const n of readdirSync(dir).sort()) h.update(`${n}\0${readFileSync(join(dir, n))}\0`);
  return h.digest('hex');
}

async function refused(argv: string[], msg: RegExp): Promise<void> {
  const r = await cli(...argv);
  expect(r.code, r.err).toBe(2);
  expect(r.err).toMatch(msg);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.err.split('\n').length).toBeLessThanOrEqual(2);
}

describe('conflicting and malformed flags', () => {
  it.each<[string[], RegExp]>([
    [['run', '--shard', '3/2'], /--shard takes i\/n with 1 <= i <= n <= 4096.*got '3\/2'/],
    [['run', '--shard', 'half'], /--shard takes i\/n/],
    [['run', '--shard', '1/2', '--path', '0:1:2'], /--path and --shard cannot be combined/],
    [['run', '--workers', '2', '--path', '0:1'], /--path and --workers cannot be combined/],
    [['run', '--time', '5', '--path', '0:1'], /--path and --time cannot be combined/],
    [['run', '--json', '--progress', '5'], /--json and --progress cannot be combined/],
    [['run', '--shrink-time', '5'], /--shrink-time bounds shrinking past a --time budget/],
    [['run', '--workers', '0'], /--workers must be between 1 and 64, got 0/],
    [['run', '--path', '17'], /--path must look like 3:12:0:1/],
    [
      ['run', '--junit', '/nonexistent-dir/x.xml'],
      /--junit \/nonexistent-dir\/x\.xml: directory \/nonexistent-dir does not exist/,
    ],
    [['run', '--archive', 'package.json'], /--archive package\.json is not a directory/],
    [['suites', '--archive', 'package.json'], /svmcheck suites: --archive package\.json is not a directory/],
    [['report'], /give exactly one counterexample file/],
    [['list', 'a', 'b'], /give at most one directory/],
    [['list', 'package.json'], /package\.json: not a directory/],
    [['schema', 'x'], /unexpected argument 'x'/],
  ])('%j', async (argv, msg) => refused(argv, msg));
});

describe('bad counterexample files', () => {
  it('an unknown driver, or a driver module that exports no driver, names the field', async () => {
    const d = tmp();
    const cx = await caseFixture();
    writeFileSync(
      join(d, 'unknown.json'),
      JSON.stringify({ ...cx, driver: { ...cx.driver, name: 'nonesuch' } }),
    );
    await refused(
      ['replay', join(d, 'unknown.json')],
      /unknown\.json: field driver\.name: unknown driver 'nonesuch'/,
    );
    writeFileSync(join(d, 'notadriver.mjs'), 'export const x = 1;\n');
    writeFileSync(
      join(d, 'module.json'),
      JSON.stringify({ ...cx, driver: { ...cx.driver, module: 'notadriver.mjs' } }),
    );
    // report never loads what an archive names; named with --driver, the module is checked.
    await refused(
      ['report', join(d, 'module.json')],
      /module\.json: field driver\.module: .*notadriver\.mjs not loaded: this command never loads a module an archive names/,
    );
    await refused(
      ['report', join(d, 'module.json'), '--driver', join(d, 'notadriver.mjs')],
      /driver module .*notadriver\.mjs does not export a driver/,
    );
    writeFileSync(
      join(d, 'gone.json'),
      JSON.stringify({ ...cx, driver: { ...cx.driver, module: 'gone.mjs' } }),
    );
    await refused(
      ['replay', join(d, 'gone.json')],
      /gone\.json: field driver\.module: .*gone\.mjs not loaded: it does not exist/,
    );
  });

  it('a bad file in the archive stops a run before it starts, and the archive is untouched', async () => {
    const d = tmp();
    const cx = await caseFixture();
    writeFileSync(join(d, 'good.json'), JSON.stringify(cx));
    writeFileSync(join(d, 'future.json'), JSON.stringify({ ...cx, schemaVersion: 7 }));
    const before = digest(d);
    await refused(
      ['run', '--driver', 'no-read-retry', '--archive', d],
      /future\.json: schemaVersion 7 is newer/,
    );
    await refused(
      ['run', '--driver', 'reference', '--archive', d, '--runs', '10'],
      /archived counterexample .*future\.json/,
    );
    expect(digest(d)).toBe(before);
    const list = await cli('list', d);
    expect(list.code).toBe(2);
    expect(list.out).toMatch(/no-read-retry .* expected +3 +.*good\.json/);
    expect(list.err).toMatch(/future\.json: schemaVersion 7 is newer/);
    expect(digest(d)).toBe(before);
  });

  it('an archive directory that cannot be created is refused when the case is written, naming it', async () => {
    const file = join(tmp(), 'plain-file');
    writeFileSync(file, 'x');
    const r = await cli('run', '--driver', 'no-read-retry', '--seed', '1', '--archive', join(file, 'sub'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /svmcheck run: --archive .*plain-file\/sub: cannot write to the archive \(ENOTDIR\)/,
    );
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});

describe('svmcheck list', () => {
  it('lists an archive as a table and as JSON; a missing directory is refused in one line', async () => {
    const r = await cli('list', 'counterexamples');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^fingerprint +driver +invariant +status +steps +file$/);
    expect(r.out).toMatch(
      /^[0-9a-f]{12} {2}no-read-retry +[a-z-]+ +expected +\d+ +counterexamples\/no-read-retry-[0-9a-f]{12}\.json$/m,
    );
    const j = JSON.parse((await cli('list', 'counterexamples', '--json')).out) as Array<{ driver: string }>;
    expect(j.map((x) => x.driver)).toContain('ignore-unmap');
    const absent = join(tmp(), 'absent');
    await refused(['list', absent], new RegExp(`^svmcheck list: ${absent}: no such directory$`));
    expect(await cli('list', tmp())).toMatchObject({
      code: 0,
      out: expect.stringMatching(/0 counterexamples in/),
    });
  });
});

describe('progress on a terminal', () => {
  it('redraws a bar on stderr with runs, elapsed time, rate and violations, then clears it', async () => {
    const tty: string[] = [];
    const r = await cliWith(
      { tty: (t) => tty.push(t) },
      'run',
      '--runs',
      '1000',
      '--seed',
      '1',
      '--archive',
      'none',
    );
    expect(r.code).toBe(0);
    expect(tty.length).toBeGreaterThanOrEqual(5);
    const clear = '\r\x1b[2K';
    expect(tty[0]?.startsWith(clear)).toBe(true);
    expect(tty[0]?.slice(clear.length)).toMatch(
      /^\[#+\.*\] 200\/1000 runs, [\d.]+ s, \d+ runs\/s, 0 violations$/,
    );
    expect(tty[tty.length - 1]).toBe(clear);
    const quiet: string[] = [];
    await cliWith({ tty: (t) => quiet.push(t) }, 'run', '--runs', '400', '--archive', 'none', '--json');
    expect(quiet).toEqual([]);
  });
});
