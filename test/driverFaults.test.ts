// A driver's own JavaScript going wrong is the driver's fault, reported as such and bounded: an
// exception in init() or in a step is "driver crashed" at the driver module's file:line (exit 70,
// no svmcheck stack frames), and a step that never returns is stopped by the step watchdog.
import { describe, expect, it } from 'vitest';
import { spawnCli } from './spawnCli.js';

const run = (fixture: string, ...extra: string[]): ReturnType<typeof spawnCli> =>
  spawnCli([
    'run',
    '--driver',
    `test/fixtures/${fixture}`,
    '--suite',
    'mirror',
    '--runs',
    '200',
    '--seed',
    '1',
    '--archive',
    'none',
    ...extra,
  ]);

/**
 * No frame of svmcheck's own code (compiled or source) in what the user sees. Paths are taken
 * relative to the checkout first: a clone at /check/work/... must not look like check/.
 */
const noOwnFrames = (err: string): void => {
  const relative = err.split(`${process.cwd()}/`).join('<repo>/');
  expect(relative).not.toMatch(/<repo>\/(dist|model|check|cli|api)\/[\w/]+\.(js|ts):\d+/);
  expect(err).not.toMatch(/node_modules/);
};

describe('driver faults', () => {
  it('init() throwing is a driver crash at its line', async () => {
    const r = await run('crashInit.ts');
    expect(r.code).toBe(70);
    expect(r.err).toMatch(/^svmcheck: driver crashed in init\(\): Error: no memory for the driver state$/m);
    expect(r.err).toMatch(/at \S+ \(\S*test\/fixtures\/crashInit\.ts:8:\d+\)/);
    noOwnFrames(r.err);
  });

  it('a step throwing is a driver crash at its line, with the program that hit it', async () => {
    const r = await run('crashStep.ts');
    expect(r.code).toBe(70);
    expect(r.err).toMatch(/^svmcheck: driver crashed at step \d+ \(gpu\d\): TypeError: /m);
    expect(r.err).toMatch(/test\/fixtures\/crashStep\.ts:\d+:\d+\)/);
    expect(r.err).toMatch(/^program: \{"config"/m);
    noOwnFrames(r.err);
  });

  it('a step that never returns is stopped by the watchdog, --time or not', async () => {
    const r = await run('hangStep.ts', '--step-timeout', '2');
    expect(r.code).toBe(70);
    expect(r.err.trim()).toBe(
      "svmcheck: driver hung: procedure 'gpu_fault' step 'start' has not returned after 2 s (--step-timeout): a loop in the driver's JavaScript, not a finding about the kernel",
    );
    const t = await spawnCli([
      'run',
      '--driver',
      'test/fixtures/hangStep.ts',
      '--suite',
      'mirror',
      '--time',
      '4',
      '--workers',
      '2',
      '--archive',
      'none',
    ]);
    expect(t.code).toBe(70);
    // The default watchdog is 10 s; the 4 s budget bounds the step too.
    expect(t.err).toMatch(/driver hung: procedure 'gpu_fault' step 'start' has not returned after 4 s/);
  });

  it('explore expands a driver loaded by path on a worker under the watchdog', async () => {
    const r = await spawnCli([
      'explore',
      '--driver',
      'test/fixtures/hangStep.ts',
      '--scope',
      'tiny',
      '--step-timeout',
      '2',
      '--archive',
      'none',
    ]);
    expect(r.code).toBe(70);
    expect(r.err.trim()).toBe(
      "svmcheck: driver hung: procedure 'gpu_fault' step 'start' has not returned after 2 s (--step-timeout): a loop in the driver's JavaScript, not a finding about the kernel",
    );
    // The same exploration of a driver that returns is unchanged: a path driver on one worker.
    const explore = (d: string): ReturnType<typeof spawnCli> =>
      spawnCli(['explore', '--driver', d, '--scope', 'tiny', '--depth', '4', '--archive', 'none']);
    const [byPath, builtin] = [await explore('test/fixtures/mirrorByPath.ts'), await explore('mirror')];
    expect(byPath.code, byPath.err).toBe(0);
    expect(byPath.out).toBe(builtin.out);
  });

  it('suites runs a driver loaded by path under the watchdog too', async () => {
    const r = await spawnCli([
      'suites',
      '--driver',
      'test/fixtures/hangStep.ts',
      '--runs',
      '200',
      '--step-timeout',
      '2',
      '--archive',
      'none',
    ]);
    expect(r.code).toBe(70);
    expect(r.err).toMatch(
      /^svmcheck: driver hung: procedure 'gpu_fault' step 'start' has not returned after 2 s \(--step-timeout\)/m,
    );
    noOwnFrames(r.err);
  });
});
