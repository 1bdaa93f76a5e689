// svmcheck new-driver: the starting file runs as it is, from each base, in a directory where
// svmcheck is installed as a package (node_modules/svmcheck), as a user's would be.
import { mkdtempSync, readFileSync, symlinkSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli } from './spawnCli.js';

const dir = mkdtempSync(join(tmpdir(), 'svmcheck-new-driver-'));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(resolve('.'), join(dir, 'node_modules', 'svmcheck'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('svmcheck new-driver', () => {
  for (const from of ['mirror', 'reference', 'gpusvm']) {
    it(`--from ${from} writes a driver that runs as it is`, async () => {
      const made = await spawnCli(['new-driver', `my-${from}`, '--from', from], { cwd: dir });
      expect(made.code).toBe(0);
      // No package.json with "type": "module" here: the file is .mts, an ES module anyway.
      expect(made.out.trim()).toBe(
        `wrote my-${from}.mts (from ${from}); run it: npx svmcheck run --driver my-${from}.mts --time 60`,
      );
      expect(readFileSync(join(dir, `my-${from}.mts`), 'utf8')).toMatch(/^\/\/ {3}gpu_fault: start/m);
      const r = await spawnCli(
        ['run', '--driver', `my-${from}.mts`, '--runs', '150', '--seed', '5', '--archive', 'none'],
        { cwd: dir },
      );
      expect(r.err).not.toMatch(/failed to load/);
      expect(r.out).toMatch(new RegExp(`^ok {4}driver 'my-${from}', suite 'default': 150 runs`, 'm'));
      expect(r.code).toBe(0);
    });
  }

  it('writes .ts in an ES-module package, and never overwrites a file', async () => {
    const pkg = join(dir, 'esm');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'package.json'), '{"type":"module"}');
    symlinkSync(join(dir, 'node_modules'), join(pkg, 'node_modules'));
    expect((await spawnCli(['new-driver', 'mine'], { cwd: pkg })).out).toMatch(
      /^wrote mine\.ts \(from mirror\)/,
    );
    const again = await spawnCli(['new-driver', 'mine'], { cwd: pkg });
    expect(again.code).toBe(2);
    expect(again.err.trim()).toBe('svmcheck new-driver: mine.ts exists; it is left as it is');
    const bad = await spawnCli(['new-driver', 'My Driver'], { cwd: pkg });
    expect(bad.code).toBe(2);
  });
});
