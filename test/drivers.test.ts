// The reference driver passes every suite; every deliberately broken driver is caught, names the
// invariant class it is documented to break, and shrinks to a short counterexample.
import { describe, expect, it } from 'vitest';
import { checkDriver } from '../check/checkDriver.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { DEFAULT_SUITES, profileByName } from '../generators/profiles.js';
import { cli } from './cliHarness.js';

describe('correct drivers', () => {
  for (const d of BUILTIN_DRIVERS.filter((x) => !x.broken)) {
    for (const suite of [...DEFAULT_SUITES, 'default']) {
      it(`${d.name} passes suite '${suite}' (1500 runs)`, () => {
        const profile = profileByName(suite);
        if (!profile) throw new Error(suite);
        const r = checkDriver(d, profile, { runs: 1500, seed: 7 });
        expect(r.failure?.violation ?? null).toBeNull();
        expect(r.runs).toBe(1500);
      });
    }
  }
});

describe('deliberately broken drivers', () => {
  for (const d of BUILTIN_DRIVERS.filter((x) => x.broken)) {
    it(`${d.name} is caught within 30 s, breaking ${d.broken?.expects}, in at most 10 operations`, async () => {
      const { code, out } = await cli(
        'run',
        '--driver',
        d.name,
        '--seed',
        '1',
        '--time',
        '30',
        '--runs',
        '1000000',
        '--json',
      );
      expect(code).toBe(1);
      const r = JSON.parse(out) as {
        ok: boolean;
        violation: { class: string; invariant: string; operations: unknown[] };
      };
      expect(r.ok).toBe(false);
      expect(r.violation.class).toBe(d.broken?.expects);
      expect(r.violation.operations.length).toBeLessThanOrEqual(10);
    });
  }
});
