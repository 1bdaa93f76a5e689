// The bodies of hmm-tests.c's device-exclusive tests (exclusive, exclusive_mprotect, exclusive_cow),
// shared by 6.1's list (hmmTests.test.ts) and today's (hmmTestsToday.test.ts): the tests read the
// same on every release; what differs is the model configuration they run on.
import { expect } from 'vitest';
import { HmmSim, iota, WORDS } from './hmmSim.js';

const readAll = (sim: HmmSim, pid: number, p: number, n: number): Array<number | string> =>
  Array.from({ length: n }, (_x, i) => sim.read(pid, p + i));

/** An rw buffer of n pages, word i holding i, made exclusive for the device (cpages n; the data read back when `data`). */
function exclusiveBuffer(sim: HmmSim, fd: number, n: number, data = true): number {
  const p = sim.mmap(0, n, 'rw');
  for (let i = 0; i < n; i++) sim.write(0, p + i, i * WORDS);
  const r = sim.cmd(fd, 'exclusive', p, n);
  expect([r.ret, r.cpages]).toEqual([0, n]);
  if (data) expect(r.data).toEqual(iota(n));
  return p;
}

/** TEST_F(hmm, exclusive): ptr[i]++ faults each page back from device-exclusive access. */
export function exclusiveBody(sim: HmmSim, fd: number, n: number): void {
  const p = exclusiveBuffer(sim, fd, n);
  for (let i = 0; i < n; i++) {
    expect(sim.read(0, p + i)).toBe(i * WORDS);
    sim.write(0, p + i, i * WORDS + 1);
  }
  expect(readAll(sim, 0, p, n)).toEqual(iota(n, (i) => i * WORDS + 1));
  expect(sim.cmd(fd, 'check_exclusive', p, n).ret).toBe(0);
}

/** TEST_F(hmm, exclusive_mprotect): after mprotect(PROT_READ) a device write is -EPERM. */
export function exclusiveMprotectBody(sim: HmmSim, fd: number, n: number): void {
  const p = exclusiveBuffer(sim, fd, n);
  expect(sim.mprotect(0, p, n, 'r')).toBe(0);
  expect(sim.cmd(fd, 'write', p, n, iota(n)).ret).toBe(-1); // -EPERM
}

/** TEST_F(hmm, exclusive_cow): the forked child and then the parent fault every page back and write it. */
export function exclusiveCowBody(sim: HmmSim, fd: number, n: number): void {
  const p = exclusiveBuffer(sim, fd, n, false);
  const child = sim.fork(0);
  for (const pid of [child, 0]) {
    for (let i = 0; i < n; i++) {
      expect(sim.read(pid, p + i)).toBe(i * WORDS);
      sim.write(pid, p + i, i * WORDS + 1);
    }
    expect(readAll(sim, pid, p, n)).toEqual(iota(n, (i) => i * WORDS + 1));
    if (pid === child) sim.exit(child);
  }
}
