// The README's Set-up on a fresh machine: every locked dependency accepts the Node versions
// package.json's engines names (so npm ci prints no EBADENGINE warning on them), and
// `npx svmcheck` resolves to this checkout's bin from an empty npx cache, as on a fresh clone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface Lock {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string;
  engines: { node: string };
  bin: Record<string, string>;
};

describe('set-up', () => {
  it('every package in package-lock.json accepts every Node version engines names', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lock;
    const refusing: string[] = [];
    for (const [path, p] of Object.entries(lock.packages)) {
      const range = Array.isArray(p.engines) ? undefined : p.engines?.node;
      if (path !== '' && range && !semver.subset(pkg.engines.node, range))
        refusing.push(`${path} (${range})`);
    }
    expect(refusing, `engines.node ${pkg.engines.node} is wider than these accept`).toEqual([]);
    expect(semver.validRange(pkg.engines.node)).not.toBeNull();
    expect(semver.satisfies('20.19.0', pkg.engines.node), 'Node 20, what CI has').toBe(true);
  });

  it('npx svmcheck runs bin/svmcheck.js from an empty npx cache', () => {
    expect(pkg.bin['svmcheck']).toBe('bin/svmcheck.js');
    const cache = mkdtempSync(join(tmpdir(), 'svmcheck-npx-'));
    try {
      // No network and no install scripts: npm only links this checkout into the npx cache.
      const r = spawnSync('npx', ['svmcheck', '--version'], {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          npm_config_cache: cache,
          npm_config_offline: 'true',
          npm_config_ignore_scripts: 'true',
          npm_config_update_notifier: 'false',
        },
      });
      expect(r.stderr).not.toMatch(/npm error/);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }, 90_000);
});
