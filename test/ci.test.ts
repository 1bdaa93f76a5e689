// CI gating through the compiled binary, as a CI job runs it: JUnit and archived files on a
// failure, GitHub annotations, --workers giving the same output for any N, disjoint shards, the
// --time budget, progress lines, and two processes racing to archive the same case.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driverIdentity } from '../archive/driverIdentity.js';
import { loadCounterexampleFile } from '../archive/loadCounterexampleFile.js';
import { chunkJobs, type ChunkJob } from '../check/chunkPlan.js';
import { minimize } from '../check/minimize.js';
import { workerExecutor } from '../cli/workerExecutor.js';
import { ignoreUnmap } from '../drivers/broken/ignoreUnmap.js';
import { noReadRetry } from '../drivers/broken/noReadRetry.js';
import { DEFAULT_SUITES } from '../generators/profiles.js';
import { caseFixture } from './caseFixture.js';
import { cli } from './cliHarness.js';
import { spawnCli } from './spawnCli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'svmcheck-ci-'));

describe('a failing run in CI', () => {
  it('writes JUnit XML carrying the report, and archives the case with its Markdown report', async () => {
    const d = tmp();
    const junit = join(d, 'junit.xml');
    const archive = join(d, 'archive');
    const r = await spawnCli(
      [
        'run',
        '--driver',
        'ignore-unmap',
        '--seed',
        '3',
        '--runs',
        '20000',
        '--archive',
        archive,
        '--junit',
        junit,
      ],
      { env: { GITHUB_WORKSPACE: d } },
    );
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as {
      testsuites: {
        testsuite: {
          '@_failures': string;
          '@_timestamp': string;
          '@_hostname': string;
          testcase: {
            '@_name': string;
            '@_classname': string;
            '@_file': string;
            failure: { '#text': string; '@_type': string };
          };
        };
      };
    };
    const tc = doc.testsuites.testsuite.testcase;
    expect(doc.testsuites.testsuite['@_failures']).toBe('1');
    // run and suites share one scheme: classname svmcheck.DRIVER, name SUITE.
    expect(tc['@_classname']).toBe('svmcheck.ignore-unmap');
    expect(tc['@_name']).toBe('default');
    expect(doc.testsuites.testsuite['@_timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(Math.abs(Date.parse(`${doc.testsuites.testsuite['@_timestamp']}Z`) - Date.now())).toBeLessThan(
      600_000,
    );
    expect(doc.testsuites.testsuite['@_hostname']).toBe(hostname());
    expect(tc.failure['@_type']).toMatch(/^[a-z-]+$/);
    expect(tc.failure['#text']).toMatch(/Steps to reproduce:/);
    const files = readdirSync(archive).sort();
    expect(files).toHaveLength(2);
    const json = files.find((f) => f.endsWith('.json')) as string;
    const cx = loadCounterexampleFile(join(archive, json));
    expect(cx).toMatchObject({ status: 'expected', driver: { name: 'ignore-unmap', module: null } });
    expect(tc.failure['@_type']).toBe(cx.violation.invariant);
    // The failing testcase points at its archived case, relative to the repository (GITHUB_WORKSPACE).
    expect(tc['@_file']).toBe(`archive/${json}`);
    // The compiled CLI hashes the driver's TypeScript sources, exactly as the sources themselves do.
    expect(cx.driver.hash).toBe((await driverIdentity(ignoreUnmap, null)).hash);
    // The variant's module and the mirror it is written on, through drivers/mirror.ts (the public
    // API under api/ is svmcheck's, not the driver's code).
    expect(cx.driver.hashOf).toEqual([
      'drivers/broken/ignoreUnmap.ts',
      'drivers/common/allocAndCopy.ts',
      'drivers/common/unbindDevmem.ts',
      'drivers/mirror.ts',
      'drivers/mirror/makeMirrorDriver.ts',
      'drivers/mirror/mirrorGpuFault.ts',
      'drivers/mirror/mirrorInvalidate.ts',
      'drivers/mirror/mirrorLock.ts',
      'drivers/mirror/mirrorMigrate.ts',
      'drivers/mirror/mirrorMigrateRange.ts',
      'drivers/mirror/mirrorMigrateToRam.ts',
      'drivers/mirror/mirrorOwner.ts',
      'drivers/mirror/mirrorReachable.ts',
      'drivers/mirror/mirrorState.ts',
    ]);
    const md = readFileSync(join(archive, json.replace(/\.json$/, '.md')), 'utf8');
    expect(md.startsWith(`# ${cx.title}\n`)).toBe(true);
    expect(md).toContain('```mermaid\nsequenceDiagram');
    expect(md).toContain(`npx svmcheck replay ${join(archive, json)}`);
    // The next run replays the archived case first and fails on it without generating anything.
    const again = await spawnCli([
      'run',
      '--driver',
      'ignore-unmap',
      '--seed',
      '99',
      '--archive',
      archive,
      '--json',
    ]);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.out)).toMatchObject({
      runs: 0,
      archive: { replayed: 1, failing: join(archive, json) },
    });
    const passing = await spawnCli([
      'run',
      '--runs',
      '200',
      '--seed',
      '1',
      '--archive',
      'none',
      '--junit',
      junit,
    ]);
    expect(passing.code).toBe(0);
    // A passing testcase points at the driver's module.
    expect(readFileSync(junit, 'utf8')).toMatch(
      /<testcase classname="svmcheck.reference" name="default" file="drivers\/reference.ts" time="[0-9.]+"\/>/,
    );
  });

  it('prints a GitHub error annotation under GitHub Actions, file relative to the repository, and none elsewhere', async () => {
    const workspace = tmp();
    const args = ['run', '--driver', 'no-read-retry', '--seed', '1', '--archive', join(workspace, 'cx')];
    const gh = await spawnCli(args, { env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace } });
    expect(gh.code).toBe(1);
    expect(gh.out).toMatch(
      /^::error file=cx\/no-read-retry-[0-9a-f]{12}\.json,title=[a-z-]+%3A [a-z-]+ in no-read-retry during [a-z_]+::.+%0AReplay: npx svmcheck run /m,
    );
    // An archive outside the repository: no absolute file= (GitHub could not place it).
    const outside = await spawnCli([...args.slice(0, -1), tmp()], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace },
    });
    expect(outside.out).toMatch(/^::error title=/m);
    expect(outside.out).not.toMatch(/file=/);
    const plain = await spawnCli(args);
    expect(plain.out).not.toMatch(/::error/);
  });
});

describe('suites in CI', () => {
  it('writes one JUnit testcase per suite', async () => {
    const junit = join(tmp(), 'suites.xml');
    const r = await cli('suites', '--runs', '30', '--archive', 'none', '--junit', junit);
    expect(r.code).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const names = [...xml.matchAll(/<testcase classname="svmcheck\.reference" name="([\w-]+)"/g)].map(
      (m) => m[1],
    );
    expect(names).toEqual([...DEFAULT_SUITES]);
    expect(xml).toMatch(/<testsuite [^>]* timestamp="[\dT:-]+" hostname="[^"]+">/);
    expect(xml).toContain('file="drivers/reference.ts"');
  });
});

describe('--workers and --shard', () => {
  it('give the same output for 1 and 2 workers, passing and failing', async () => {
    // Which chunks finish before a failure is runChunks.test.ts's business; here, the whole CLI.
    for (const [driver, code] of [
      ['reference', 0],
      ['no-read-retry', 1],
    ] as const) {
      const args = ['run', '--driver', driver, '--seed', '4', '--runs', '600', '--archive', 'none'];
      const one = await spawnCli([...args, '--workers', '1']);
      const two = await spawnCli([...args, '--workers', '2']);
      expect(one.code).toBe(code);
      expect(two.code).toBe(code);
      expect(two.out).toBe(one.out);
    }
  });

  it('a worker that cannot start fails the run instead of hanging it', async () => {
    const exec = workerExecutor(1, join(tmp(), 'gone.mjs'), 'default');
    await expect(exec.run(chunkJobs(1, 10)[0] as ChunkJob, {})).rejects.toThrow(/gone\.mjs does not exist/);
    await exec.close();
  });

  it('shards cover disjoint chunks that add up to the whole run', async () => {
    const args = ['run', '--seed', '8', '--runs', '600', '--archive', 'none', '--json'];
    const whole = JSON.parse((await spawnCli(args)).out) as { runs: number; steps: number };
    const a = JSON.parse((await spawnCli([...args, '--shard', '1/2'])).out) as {
      runs: number;
      steps: number;
      shard: string;
    };
    const b = JSON.parse((await spawnCli([...args, '--shard', '2/2'])).out) as {
      runs: number;
      steps: number;
    };
    expect(a.shard).toBe('1/2');
    expect([a.runs, b.runs]).toEqual([400, 200]);
    expect(a.steps + b.steps).toBe(whole.steps);
  });
});

describe('--time and progress', () => {
  it('shrinking stops at its deadline, keeping the failure found so far', async () => {
    const cx = await caseFixture();
    const padded = { ...cx.program, ops: [...cx.program.ops, ...cx.program.ops] };
    const unbounded = minimize(noReadRetry, padded, 'no-gpu-pte-after-munmap');
    expect(unbounded.attempts).toBeGreaterThan(0);
    const cut = minimize(noReadRetry, padded, 'no-gpu-pte-after-munmap', 20_000, undefined, Date.now() - 1);
    expect(cut.attempts).toBe(0);
    expect(cut.program.ops).toEqual(padded.ops);
  });

  it('stops starting runs at the budget and says so; prints a progress line per interval off a terminal', async () => {
    const t0 = Date.now();
    const r = await spawnCli([
      'run',
      '--runs',
      '100000000',
      '--time',
      '3',
      '--progress',
      '1',
      '--archive',
      'none',
      '--seed',
      '2',
    ]);
    const secs = (Date.now() - t0) / 1000;
    expect(r.code).toBe(0);
    expect(secs).toBeLessThan(15);
    expect(r.out).toMatch(/\(time budget reached\)/);
    expect(r.err).toMatch(/the 3 s budget was reached and no run started after it/);
    expect(r.err).toMatch(/svmcheck run: \d+\/100000000 runs, [\d.]+ s, \d+ runs\/s, 0 violations/);
    const failing = await spawnCli([
      'run',
      '--driver',
      'ignore-unmap',
      '--runs',
      '100000000',
      '--time',
      '20',
      '--shrink-time',
      '5',
      '--archive',
      'none',
      '--seed',
      '2',
    ]);
    expect(failing.code).toBe(1);
    expect(failing.err).toMatch(/svmcheck run: shrinking took [\d.]+ s/);
  });

  it('--json prints nothing but the result', async () => {
    const r = await spawnCli(['run', '--runs', '400', '--archive', 'none', '--seed', '2', '--json']);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.out)).not.toThrow();
    expect(r.err).not.toMatch(/runs\/s, \d+ violation/);
  });
});

describe('archive writes', () => {
  it('two processes archiving the same case at once leave one intact file', async () => {
    const archive = tmp();
    const args = [
      'run',
      '--driver',
      'no-read-retry',
      '--seed',
      '5',
      '--runs',
      '5000',
      '--archive',
      archive,
      '--json',
    ];
    const [a, b, c] = await Promise.all([spawnCli(args), spawnCli(args), spawnCli(args)]);
    for (const r of [a, b, c]) expect(r?.code).toBe(1);
    const outcomes = [a, b, c].map(
      (r) =>
        JSON.parse(r?.out ?? '{}') as {
          archived?: { outcome: string };
          archive?: { failing: string | null };
        },
    );
    // Each process either created the file, found it identical, or (started later) replayed it first.
    expect(outcomes.filter((o) => o.archived?.outcome === 'created')).toHaveLength(1);
    const files = readdirSync(archive).sort();
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(archive, files[0] as string))).toBe(true);
    expect(() =>
      loadCounterexampleFile(join(archive, files.find((f) => f.endsWith('.json')) as string)),
    ).not.toThrow();
  });
});
