// The scale's one definition is its zod schema (model/config.ts): every field the Config type has
// survives parsing, an unknown key is refused, and the default and every generated configuration
// are valid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configArb } from '../generators/configArb.js';
import { PROFILES } from '../generators/profiles.js';
import { ConfigSchema, DEFAULT_CONFIG, type Config } from '../model/config.js';

describe('ConfigSchema', () => {
  it('keeps exactMm and thp (it once dropped them: parsed, a conformance config lost its mm rules)', () => {
    const cfg: Config = { ...DEFAULT_CONFIG, exactMm: true, thp: 'always' };
    const r = ConfigSchema.safeParse(cfg);
    expect(r.success && r.data).toEqual(cfg);
  });

  it('refuses an unknown key, naming it, and a bad value of an optional field', () => {
    const extra = ConfigSchema.safeParse({ ...DEFAULT_CONFIG, hugePages: true });
    expect(extra.success).toBe(false);
    expect(JSON.stringify(extra.error?.issues)).toMatch(/hugePages/);
    expect(ConfigSchema.safeParse({ ...DEFAULT_CONFIG, thp: 'never' }).success).toBe(false);
    expect(ConfigSchema.safeParse({ ...DEFAULT_CONFIG, exactMm: 'yes' }).success).toBe(false);
  });

  it('accepts the default and every configuration the suites generate, as they are', () => {
    expect(ConfigSchema.parse(DEFAULT_CONFIG)).toEqual(DEFAULT_CONFIG);
    for (const profile of PROFILES)
      fc.assert(
        fc.property(configArb(profile), (cfg) => {
          expect(ConfigSchema.parse(cfg)).toEqual(cfg);
        }),
        { seed: 1, numRuns: 200 },
      );
  });
});
