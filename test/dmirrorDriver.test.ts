// The dmirror model as an ordinary driver plug-in under the generic suites and invariants: it keeps
// its mirror (no stale or over-permissive GPU PTE) except in the case 6.1's test_hmm really gets
// wrong, which the fork suite finds: a mirror entry holding a device-private page that another
// mirror of the same device migrated goes stale when this mm faults the page back (the
// MMU_NOTIFY_MIGRATE of the owner is skipped, and dmirror_devmem_fault() erases the entry in the
// migrating mirror only), leaving a pointer to a freed device page.
import { describe, expect, it } from 'vitest';
import { checkDriver } from '../check/checkDriver.js';
import { dmirror } from '../drivers/dmirror/dmirror.js';
import { profileByName } from '../generators/profiles.js';
import { INVARIANTS } from '../properties/catalog.js';
import { problemWords } from '../report/problemWords.js';

describe('dmirror as a driver plug-in', () => {
  // The default suite forks too, so it can reach the two fork findings below: it is checked
  // without their invariants (the fork tests hold each to its own).
  const forkFindings = new Set(['permitted-access-served', 'mirror-consistency']);
  for (const suite of ['mirror', 'migration', 'multi-gpu', 'default']) {
    it(`passes suite '${suite}' (2000 runs)`, () => {
      const profile = profileByName(suite);
      if (!profile) throw new Error(suite);
      const invariants = suite === 'default' ? INVARIANTS.filter((i) => !forkFindings.has(i.id)) : INVARIANTS;
      const r = checkDriver(dmirror, profile, { runs: 2000, seed: 5, invariants });
      expect(r.failure?.violation ?? null).toBeNull();
    });
  }

  it("breaks permitted-access-served in suite 'fork': a write to its own device page made read-only by fork is -EFAULT", () => {
    // dmirror_do_fault gets the page back read-only from a write fault (hmm_range_fault leaves
    // the owner's device-private pages alone), WARNs and fails the fault: 6.1's test_hmm does so.
    const profile = profileByName('fork');
    if (!profile) throw new Error('fork');
    const v = checkDriver(dmirror, profile, { runs: 20000, seed: 11 }).failure?.violation;
    expect(v?.invariant).toBe('permitted-access-served');
    expect(v && problemWords(v).actual).toMatch(/-EFAULT/);
  });

  it("breaks mirror-consistency in suite 'fork': a stale entry to a freed device-private page", () => {
    const profile = profileByName('fork');
    if (!profile) throw new Error('fork');
    const invariants = INVARIANTS.filter((i) => i.id !== 'permitted-access-served');
    const r = checkDriver(dmirror, profile, { runs: 20000, seed: 11, invariants });
    const v = r.failure?.violation;
    expect(v?.invariant).toBe('mirror-consistency');
    expect(v && problemWords(v).message).toMatch(/stale/);
  });
});
