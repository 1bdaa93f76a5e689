// The public driver API (svmcheck/driver): modules written in TypeScript on it load by path, a
// variant made with withSteps runs the base's code but for its steps, and procedure calls are
// typed. The fixtures in test/fixtures/ are type-checked by `npm run typecheck` like a user's would be.
import { describe, expect, it } from 'vitest';
import { defineDriver } from '../api/defineDriver.js';
import { invoke } from '../api/invoke.js';
import { kernel } from '../api/kernel.js';
import { stepOf } from '../api/stepOf.js';
import { withSteps } from '../api/withSteps.js';
import { checkDriver } from '../check/checkDriver.js';
import { mirror } from '../drivers/mirror.js';
import { profileByName } from '../generators/profiles.js';
import { ret } from '../model/proc.js';
import { spawnCli } from './spawnCli.js';

// @ts-expect-error a call's arguments are checked: hmm_range_fault needs its whole range
export const untypedCall = (): unknown => invoke(kernel.hmmRangeFault, { nid: 0 }, 'next');

describe('svmcheck/driver', () => {
  it('a .ts driver module on the public API loads by path and its bug is found', async () => {
    const r = await spawnCli([
      'run',
      '--driver',
      'test/fixtures/apiNoSetSeq.ts',
      '--suite',
      'mirror',
      '--seed',
      '1',
      '--runs',
      '3000',
      '--archive',
      'none',
    ]);
    expect(r.err).not.toMatch(/Unknown file extension/);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/driver 'api-no-set-seq' broke \S+ \(coherence\)/);
    // The replay line names the module by its path, so that it loads again.
    expect(r.out).toMatch(/Replay: npx svmcheck run --driver \S*test\/fixtures\/apiNoSetSeq\.ts /);
  });

  it('a driver procedure of its own is called through its typed handle', async () => {
    const r = await spawnCli([
      'run',
      '--driver',
      'test/fixtures/apiTypedCall.ts',
      '--suite',
      'migration',
      '--seed',
      '2',
      '--runs',
      '300',
      '--archive',
      'none',
      '--stats',
    ]);
    expect(r.code).toBe(0);
    // The migration requests went to the driver's own procedure, through the typed call.
    expect(r.out).toMatch(/^\s*migration request refused\s+[1-9]/m);
  });

  it('withSteps keeps the base driver but for the steps it replaces', () => {
    const quiet = withSteps<{ nid: number }>(mirror, 'invalidate', { start: () => ret(true) });
    expect(quiet.name).toBe('mirror+invalidate');
    expect(quiet.procs['gpu_fault']).toBe(mirror.procs['gpu_fault']);
    expect(quiet.procs['invalidate']?.steps['start']).not.toBe(mirror.procs['invalidate']?.steps['start']);
    // An invalidate callback that does nothing: the GPU keeps stale PTEs, and the checker sees it.
    const profile = profileByName('mirror');
    if (!profile) throw new Error('mirror');
    const r = checkDriver(quiet, profile, { runs: 3000, seed: 1 });
    expect(r.failure?.violation.cls).toBe('coherence');
    expect(() => withSteps(mirror, 'gpu_faults', {})).toThrow(/has no procedure 'gpu_faults'/);
  });

  it('stepOf gives a replacement step the base step, to run before or after what it adds', () => {
    const start = stepOf<{ nid: number }>(mirror, 'invalidate', 'start');
    expect(start).toBe(mirror.procs['invalidate']?.steps['start']);
    let calls = 0;
    const counted = withSteps<{ nid: number }>(mirror, 'invalidate', {
      start(env, l, r) {
        calls++;
        return start(env, l, r);
      },
    });
    // The same driver but for a counter: a run of the mirror suite passes, and the step ran.
    const profile = profileByName('mirror');
    if (!profile) throw new Error('mirror');
    expect(checkDriver(counted, profile, { runs: 200, seed: 1 }).failure).toBeNull();
    expect(calls).toBeGreaterThan(0);
    expect(() => stepOf(mirror, 'invalidate', 'begin')).toThrow(/has no step 'begin' \(it has start/);
    expect(() => stepOf(mirror, 'gpu_faults', 'start')).toThrow(/has no procedure 'gpu_faults'/);
  });

  it('defineDriver refuses a driver without an entry point, and the CLI says so in one line', async () => {
    const procs: Record<string, unknown> = { ...mirror.procs };
    delete procs['migrate'];
    expect(() => defineDriver({ ...mirror, procs: procs as typeof mirror.procs })).toThrow(
      /no procedure for entry point\(s\) migrate/,
    );
    const r = await spawnCli([
      'run',
      '--driver',
      'test/fixtures/apiBadName.ts',
      '--runs',
      '1',
      '--archive',
      'none',
    ]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(
      /driver module test\/fixtures\/apiBadName\.ts failed to load: defineDriver\("my driver"\): the name/,
    );
  });
});
