// The archive's edges: upgrade's size limit, temporary files a killed run left, a case whose run
// died before its report, the JSON Schema among the cases, a missing directory, unparsable files
// and unknown keys. Each one is refused in one line with exit 2, or repaired, never crashed on.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it as fcIt } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { casePaths } from '../archive/casePaths.js';
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import { jsonErrorAt } from '../archive/jsonErrorAt.js';
import { MAX_FILE_BYTES } from '../archive/readArchiveText.js';
import { cleanStaleTemps } from '../archive/tempFiles.js';
import { tempName } from '../archive/tempName.js';
import { caseFixture } from './caseFixture.js';
import { cli } from './cliHarness.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'svmcheck-edge-'));

let cx: CounterexampleFile;
beforeAll(async () => {
  cx = await caseFixture();
});

async function refused(argv: string[], msg: RegExp): Promise<string> {
  const r = await cli(...argv);
  expect(r.code, r.err).toBe(2);
  expect(r.err.split('\n'), r.err).toHaveLength(1);
  expect(r.err).toMatch(msg);
  return r.err;
}

/** A process id that no longer runs: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('archive edges', () => {
  it('upgrade refuses a file over 10 MB unread, like every other reader', async () => {
    const f = join(tmp(), 'big.json');
    writeFileSync(f, Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
    await refused(['upgrade', f], /big\.json: 10485761 bytes is over the 10485760-byte limit/);
  });

  it('temporary files left by a killed run are removed; a live writer’s and other files are kept', async () => {
    const d = tmp();
    const dead = tempName('x.json', deadPid(), 0, 'deadbeef');
    const live = tempName('y.json', process.pid, 1, '0123abcd');
    const old = tempName('z.json', process.ppid, 0, 'cafef00d');
    for (const n of [dead, live, old, '.notes.tmp', 'keep.txt']) writeFileSync(join(d, n), 'partial');
    const twoDaysAgo = (Date.now() - 2 * 24 * 3600 * 1000) / 1000;
    utimesSync(join(d, old), twoDaysAgo, twoDaysAgo);
    expect(cleanStaleTemps(d).sort()).toEqual([dead, old].sort());
    expect(readdirSync(d).sort()).toEqual([live, '.notes.tmp', 'keep.txt'].sort());
    // A run that writes to the archive cleans it first.
    writeFileSync(join(d, dead), 'partial');
    const r = await cli('run', '--driver', 'reference', '--runs', '10', '--seed', '1', '--archive', d);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(d, dead))).toBe(false);
    expect(existsSync(join(d, live))).toBe(true);
  });

  it('a case whose run died before its report: list names it, the next run of its driver writes it', async () => {
    const d = tmp();
    const { json, report } = casePaths(d, cx);
    writeFileSync(json, `${JSON.stringify(cx, null, 2)}\n`);
    const list = await cli('list', d);
    expect(list.code).toBe(0);
    expect(list.err).toContain(`${json} has no report beside it`);
    expect(list.err).toContain(`svmcheck run --driver ${cx.driver.name} --archive ${d}`);
    expect(existsSync(report)).toBe(false);
    const r = await cli('run', '--driver', cx.driver.name, '--archive', d, '--runs', '10', '--seed', '1');
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `archive: ${report}: written (the run that archived ${json} stopped before its report)`,
    );
    expect(readFileSync(report, 'utf8').split('\n')[0]).toBe(`# ${cx.title}`);
    expect(readFileSync(json, 'utf8')).toBe(`${JSON.stringify(cx, null, 2)}\n`);
    expect((await cli('list', d)).err).toBe('');
  });

  it('replay DIR/*.json skips the JSON Schema with a note instead of failing as a whole', async () => {
    const d = tmp();
    const { json } = casePaths(d, cx);
    writeFileSync(json, JSON.stringify(cx));
    writeFileSync(join(d, 'schema.json'), readFileSync('counterexamples/schema.json'));
    const r = await cli('replay', join(d, 'schema.json'), json);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `skip  ${join(d, 'schema.json')}: the archive's JSON Schema, not a counterexample`,
    );
    expect(r.out).toContain(`broke ${cx.violation.invariant}`);
    const j = JSON.parse((await cli('replay', join(d, 'schema.json'), json, '--json')).out) as {
      skipped: string[];
      results: unknown[];
    };
    expect(j.skipped).toEqual([join(d, 'schema.json')]);
    expect(j.results).toHaveLength(1);
    await refused(['replay', join(d, 'schema.json')], /no counterexample among .*schema\.json/);
    const up = await cli('upgrade', join(d, 'schema.json'));
    expect(up.code).toBe(0);
    expect(up.out).toContain('skip');
  });

  it("upgrade re-records an old case's driver identity after replaying it, and nothing else", async () => {
    const d = tmp();
    const { json } = casePaths(d, cx);
    const old = {
      ...cx,
      driver: { name: cx.driver.name, module: null, hash: 'e'.repeat(64), hashOf: cx.driver.hashOf },
    };
    writeFileSync(json, `${JSON.stringify(old, null, 2)}\n`);
    const r = await cli('upgrade', json);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /driver identity re-recorded \(sha256 eeeeeeeeeeee -> [0-9a-f]{12}, code of \d+ files\)/,
    );
    const now = JSON.parse(readFileSync(json, 'utf8')) as CounterexampleFile;
    expect(now).toEqual({ ...old, driver: cx.driver });
    expect((await cli('upgrade', json)).out).toContain('current (driver identity unchanged)');
    // A case that no longer behaves as its status says keeps its old identity.
    const wrong = { ...old, status: 'fixed' as const };
    writeFileSync(json, `${JSON.stringify(wrong, null, 2)}\n`);
    await refused(
      ['upgrade', json],
      /status 'fixed', but it breaks .* again: a regression: the driver's identity is not re-recorded/,
    );
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(wrong);
    expect(readdirSync(d)).toEqual([json.split('/').pop()]);
  });

  it('list of a directory that does not exist exits 2 in one line', async () => {
    await refused(['list', '/nonexistent'], /^svmcheck list: \/nonexistent: no such directory$/);
  });

  it("an unparsable file's error is one line that does not quote the file", async () => {
    const d = tmp();
    const f = join(d, 'bad.json');
    writeFileSync(f, 'abc\nSECRET-LINE-2\n\u0001\u0002\nmore');
    for (const cmd of ['replay', 'report', 'upgrade']) {
      const err = await refused([cmd, f], /bad\.json: not valid JSON, truncated or malformed/);
      expect(err).not.toContain('SECRET');
      expect([...err].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
    }
    writeFileSync(f, '{\n  "schemaVersion": 2,\n  "title": oops\n}');
    await refused(
      ['replay', f],
      /bad\.json: not valid JSON, truncated or malformed \(unexpected "o" at line 3, column 12\)/,
    );
    writeFileSync(f, '{"schemaVersion": 2, "title": "cut');
    await refused(['replay', f], /bad\.json: not valid JSON, truncated or malformed \(it ends early\)/);
    const l = await cli('list', d);
    expect(l.code).toBe(2);
    expect(l.err.split('\n')).toHaveLength(1);
  });

  fcIt.prop([
    fc.oneof(
      fc.json(),
      fc.string(),
      fc.json().map((s) => s.slice(0, -1)),
      fc
        .tuple(fc.json(), fc.nat(), fc.string({ maxLength: 2 }))
        .map(([s, n, x]) => s.slice(0, n % (s.length + 1)) + x + s.slice(n % (s.length + 1))),
    ),
  ])('the error locator agrees with JSON.parse on what is JSON', (s) => {
    let ok = true;
    try {
      JSON.parse(s);
    } catch {
      ok = false;
    }
    expect(jsonErrorAt(s) === -1).toBe(ok);
  });

  it('extra keys inside program are refused, naming the key', async () => {
    const d = tmp();
    const cases: Array<[string, unknown, RegExp]> = [
      [
        'op',
        { ...cx.program, ops: [{ ...cx.program.ops[0], bogus: 1 }, ...cx.program.ops.slice(1)] },
        /field program\.ops\.0: Unrecognized key: "bogus"/,
      ],
      ['program', { ...cx.program, extra: [] }, /field program: Unrecognized key: "extra"/],
      [
        'config',
        { ...cx.program, config: { ...cx.program.config, hotplug: true } },
        /field program\.config: Unrecognized key: "hotplug"/,
      ],
    ];
    for (const [name, program, msg] of cases) {
      const f = join(d, `${name}.json`);
      writeFileSync(f, JSON.stringify({ ...cx, program }));
      await refused(['replay', f], msg);
      await refused(['report', f], msg);
    }
  });
});
