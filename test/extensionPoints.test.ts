// The extension points by path, each loading a TypeScript module: --invariant (a rule of one's
// own, checked after every step), --suite (a generator profile), --scope (what explore covers) and
// --kernel-patch (core-mm procedures replaced). The fixtures are in test/fixtures/.
import { describe, expect, it } from 'vitest';
import { spawnCli } from './spawnCli.js';

const RUN = ['run', '--driver', 'mirror', '--runs', '300', '--seed', '1'];

describe('extension points by path', () => {
  it('--invariant PATH: a rule of your own breaks, with its meaning, and the replay line carries it', async () => {
    const r = await spawnCli([
      ...RUN,
      '--suite',
      'mirror',
      '--invariant',
      'test/fixtures/extInvariant.ts',
      '--archive',
      'none',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/driver 'mirror' broke gpu-read-only \(coherence\)/);
    expect(r.out).toContain('No GPU page table entry grants write access.');
    expect(r.out).toMatch(/Replay: .* --invariant \S*test\/fixtures\/extInvariant\.ts /);
    const again = r.out.match(/Replay: npx svmcheck (.*)/)?.[1]?.split(' ') ?? [];
    const replayed = await spawnCli([...again, '--archive', 'none']);
    expect(replayed.code).toBe(1);
    expect(replayed.out).toMatch(/broke gpu-read-only/);
  });

  it('--suite PATH: the operations are the module profile', async () => {
    const r = await spawnCli([
      ...RUN,
      '--suite',
      'test/fixtures/extSuite.ts',
      '--stats',
      '--archive',
      'none',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok {4}driver 'mirror', suite 'gpu-reads': 300 runs/m);
    const ops = [...r.out.matchAll(/^\s+op (\w+)/gm)].map((m) => m[1]).sort();
    expect(ops).toEqual(['gpu_read', 'mmap']);
  });

  it("--scope PATH: explore covers the module's scope", async () => {
    const r = await spawnCli([
      'explore',
      '--driver',
      'mirror',
      '--scope',
      'test/fixtures/extScope.ts',
      '--archive',
      'none',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok {4}driver 'mirror', scope 'tiny-three': every state to depth 3 checked/m);
  });

  it('--kernel-patch PATH: the driver runs on the patched core mm', async () => {
    const r = await spawnCli([
      ...RUN,
      '--suite',
      'mirror',
      '--kernel-patch',
      'test/fixtures/extKernelPatch.ts',
      '--archive',
      'none',
    ]);
    expect(r.code).toBe(1);
    // hmm_range_fault refusing every range: a GPU write the CPU permits ends in a fatal fault.
    expect(r.out).toMatch(/driver 'mirror' broke permitted-access-served \(access\)/);
    expect(r.out).toMatch(/Replay: .* --kernel-patch \S*test\/fixtures\/extKernelPatch\.ts /);
    const plain = await spawnCli([...RUN, '--suite', 'mirror', '--archive', 'none']);
    expect(plain.code).toBe(0);
  });

  it('a module that is not what the flag takes is bad input, in one line', async () => {
    const r = await spawnCli([...RUN, '--suite', 'mirror', '--kernel-patch', 'test/fixtures/extSuite.ts']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(
      /^kernel patch module test\/fixtures\/extSuite\.ts: defineKernelPatch\("gpu-reads"\)/,
    );
  });
});
