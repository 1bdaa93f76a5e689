// Every archived counterexample is replayed on every test run and must still behave as archived:
// 'expected' and 'open' cases still break their invariant, 'fixed' ones no longer do.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCounterexampleFile } from '../archive/counterexampleFile.js';
import { execute } from '../check/execute.js';
import { builtinDriver } from '../drivers/builtins.js';

const dir = join(import.meta.dirname, '..', 'counterexamples');
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json');

describe('counterexample archive', () => {
  it('holds the kfd-legacy partial-migration report', () => {
    expect(files).toContain('kfd-legacy-partial-migration.json');
  });

  for (const f of files) {
    it(`replays ${f} with its archived status`, () => {
      const cx = loadCounterexampleFile(join(dir, f));
      const driver = builtinDriver(cx.driver);
      if (!driver) throw new Error(`${f}: unknown driver ${cx.driver}`);
      const r = execute(driver, cx.program);
      if (cx.status === 'fixed') expect(r.violation).toBeNull();
      else expect(r.violation?.invariant).toBe(cx.invariant);
    });
  }
});
