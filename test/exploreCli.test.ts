// svmcheck explore: exit codes, output format shared with run, determinism, usage errors.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './cliHarness.js';
import { DEFAULT_KERNEL } from '../model/kernelVersion.js';

describe('svmcheck explore', () => {
  it('exits 0 when nothing breaks and reports what it covered, per depth', async () => {
    const { code, out, err } = await cli('explore', '--depth', '3');
    expect(code).toBe(0);
    expect(out).toMatch(/^ok {4}driver 'reference', scope 'svm-tiny': every state to depth 3 checked/);
    expect(out).toMatch(/distinct states, [\d,]+ transitions; symmetry reduction on/);
    expect(out).toMatch(/^ +3 +[\d,]+$/m);
    expect(err).toMatch(/distinct states\/s/);
  });

  it('exits 1 with the shortest counterexample in the same format as run, and the same output every time', async () => {
    const a = await cli('explore', '--driver', 'ignore-unmap', '--archive', 'none');
    const b = await cli('explore', '--driver', 'ignore-unmap', '--archive', 'none');
    expect(a.code).toBe(1);
    expect(a.out).toBe(b.out);
    expect(a.out).toMatch(
      /FAIL {2}driver 'ignore-unmap' broke no-gpu-pte-after-munmap \(coherence\) in scope 'tiny'/,
    );
    expect(a.out).toMatch(/Counterexample: \d+ operations/);
    expect(a.out).toMatch(/Interleaving \(one line per scheduler step/);
    expect(a.out).toMatch(/<-- invariant broken here/);
    expect(a.out).toMatch(/Shortest within scope 'tiny': breadth-first exploration reached it in \d+ steps/);
    // The replay line names the release explored: the default one here.
    expect(a.out).toContain(
      `Replay: npx svmcheck explore --driver ignore-unmap --scope tiny --depth 6 --kernel ${DEFAULT_KERNEL}`,
    );
  });

  it('--json gives the coverage and the violation object run gives, with a replayable program', async () => {
    const { code, out } = await cli('explore', '--driver', 'no-read-retry', '--json', '--archive', 'none');
    expect(code).toBe(1);
    const r = JSON.parse(out) as {
      ok: boolean;
      complete: boolean;
      levels: number[];
      violation: {
        invariant: string;
        class: string;
        program: { ops: unknown[] };
        explored: { depth: number };
      };
    };
    expect(r.ok).toBe(false);
    expect(r.complete).toBe(false);
    expect(r.violation.class).toBe('coherence');
    expect(r.violation.program.ops.length).toBeGreaterThan(0);
    expect(r.levels.length).toBe(r.violation.explored.depth + 1);
  });

  it('archives the shortest counterexample like run, and replay re-executes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svmcheck-explore-'));
    const a = await cli('explore', '--driver', 'ignore-unmap', '--archive', dir, '--json');
    expect(a.code).toBe(1);
    const r = JSON.parse(a.out) as { archived: { file: string; outcome: string } };
    expect(r.archived.outcome).toBe('created');
    expect(readdirSync(dir).sort()).toEqual(
      [basename(r.archived.file), basename(r.archived.file).replace(/json$/, 'md')].sort(),
    );
    const again = await cli('explore', '--driver', 'ignore-unmap', '--archive', dir);
    expect(again.out).toMatch(/Already archived: /);
    const replay = await cli('replay', r.archived.file);
    expect(replay.code).toBe(1);
    expect(replay.out).toMatch(/broke no-gpu-pte-after-munmap \(coherence\) in suite 'explore:tiny'/);
  });

  it('stops at --max-states, says how far it got, and exits 3 (incomplete) rather than 0', async () => {
    const { code, out } = await cli('explore', '--max-states', '100', '--json');
    expect(code).toBe(3);
    const r = JSON.parse(out) as { ok: boolean; complete: boolean; distinct: number; depthCompleted: number };
    expect(r).toMatchObject({ ok: false, complete: false, distinct: 100 });
    expect(r.depthCompleted).toBeLessThan(6);
    const text = await cli('explore', '--max-states', '100');
    expect(text.code).toBe(3);
    expect(text.out).toMatch(
      /^part {2}driver 'reference', scope '[\w-]+': complete to depth \d of \d+, stopped by --max-states/,
    );
  });

  it('--workers N prints what one worker prints, byte for byte', async () => {
    const one = await cli('explore', '--driver', 'ignore-unmap', '--archive', 'none', '--workers', '1');
    const two = await cli('explore', '--driver', 'ignore-unmap', '--archive', 'none', '--workers', '2');
    expect(two.code).toBe(1);
    expect(two.out).toBe(one.out);
  });

  it.each([
    [['explore', '--scope', 'nope'], /unknown scope 'nope' \(known: tiny/],
    [['explore', '--workers', '0'], /--workers must be between 1 and 64/],
    [['explore', '--depth', '0'], /--depth must be between 1 and/],
    [['explore', '--max-states', 'many'], /--max-states takes a whole number/],
    [['explore', '--driver', 'nope'], /unknown driver 'nope'/],
    [['explore', 'extra'], /unexpected argument 'extra'/],
  ])('bad usage %j exits 2 with a clear message', async (argv, msg) => {
    const { code, err } = await cli(...(argv as string[]));
    expect(code).toBe(2);
    expect(err).toMatch(msg);
  });
});
