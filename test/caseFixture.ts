// A real, valid counterexample record (no-read-retry breaking no-gpu-pte-after-munmap), built in
// process, for tests that need a good file to start from or to damage.
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import { counterexampleRecord } from '../archive/counterexampleRecord.js';
import { driverIdentity } from '../archive/driverIdentity.js';
import { execute } from '../check/execute.js';
import { noReadRetry } from '../drivers/broken/noReadRetry.js';
import type { Program } from '../model/program.js';
import { problemWords } from '../report/problemWords.js';

export const FIXTURE_PROGRAM: Program = {
  config: { vaPages: 8, sysPages: 40, maxProcs: 3, gpus: [{ mem: 'private', vram: 1, hive: 0 }] },
  ops: [
    { op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false },
    { op: 'gpu_write', gpu: 0, proc: 0, vma: 0, off: 0 },
    { op: 'exit', on: 0, proc: 0 },
  ],
  schedule: [0, 0, 0, 1],
  faults: [],
};

export async function caseFixture(program: Program = FIXTURE_PROGRAM): Promise<CounterexampleFile> {
  const r = execute(noReadRetry, program, { trace: true });
  if (!r.violation) throw new Error('caseFixture: the program no longer breaks an invariant');
  return counterexampleRecord({
    words: problemWords(r.violation),
    failure: {
      program,
      violation: r.violation,
      trace: r.trace,
      fastCheckOps: program.ops.length,
      fastCheckShrinks: 0,
      minimizeAttempts: 0,
      path: '0:0',
    },
    identity: await driverIdentity(noReadRetry, null),
    suite: 'default',
    seed: 1,
    status: 'expected',
    title: 'fixture',
    archiveDir: 'counterexamples',
  });
}
