// run --baseline DRIVER: a failure replayed on the base driver tells a variant's own bug from one
// the base has too (text and JSON).
import { describe, expect, it } from 'vitest';
import { spawnCli } from './spawnCli.js';

const RUN = [
  'run',
  '--driver',
  'test/fixtures/apiNoSetSeq.ts',
  '--suite',
  'mirror',
  '--seed',
  '1',
  '--runs',
  '3000',
];

describe('run --baseline', () => {
  it("says the failure is the variant's own when the base passes the program", async () => {
    const r = await spawnCli([...RUN, '--archive', 'none', '--baseline', 'mirror']);
    expect(r.code).toBe(1);
    expect(r.out).toContain("baseline: 'mirror' passes this program: the failure is 'api-no-set-seq''s own");
  });

  it('says when the base fails the same program too', async () => {
    const r = await spawnCli([...RUN, '--archive', 'none', '--baseline', 'mirror-no-set-seq', '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as { baseline: unknown }).baseline).toEqual({
      driver: 'mirror-no-set-seq',
      breaks: 'mirror-consistency',
    });
  });
});
