// hmm-tests of today: the tests upstream tools/testing/selftests/mm/hmm-tests.c has beyond 6.1's 29
// (read at blob 0eaed89c18ae), and the two whose body changed since (anon_write_child,
// exclusive_cow), as scenarios of the model's 7.0 configuration. 6.1's tests are in
// test/hmmTests.test.ts. None of these runs against a real kernel here: the newest installable
// source is 6.12, whose lib/test_hmm.c has neither HMM_DMIRROR_FLAGS nor device-private THP
// migration, and whose hmm-tests.c is 6.1's list.
//
// The 9 new tests, and what is encoded of each:
//   migrate_anon_huge_empty, _zero, _fault: the data path (cpages, what the device read, what the
//     CPU faults back); with transparent_hugepage=madvise the model backs the MADV_HUGEPAGE range with
//     4 KiB pages, which none of these observations tells apart (as 6.1's anon_write_huge). Not
//     encoded: _fault's HMM_DMIRROR_PROT_PMD snapshot bits and its /proc/self/pagemap check, which
//     need device-private THPs (kernelRules.ts device_private_thp: not modelled).
//   migrate_partial_unmap_fault: fully, both use_thp values (the same 4 KiB argument).
//   migrate_anon_huge_free (MADV_FREE), migrate_remap_fault (mremap), migrate_anon_huge_err and
//     migrate_anon_huge_zero_err (HMM_DMIRROR_FLAGS, a test_hmm ioctl newer than the modelled
//     test_hmm) and benchmark_thp_migration (timings): not encoded, the model has none of these.
import { describe, expect, it } from 'vitest';
import { HmmSim, iota, WORDS } from './hmmSim.js';
import { exclusiveBody, exclusiveCowBody, exclusiveMprotectBody } from './hmmExclusiveBodies.js';

const NPAGES = 1024; // HMM_BUFFER_SIZE (1024 << 12) in pages
const HUGE = 512; // read_pmd_pagesize() in pages
const VARIANTS = [
  { name: 'hmm.hmm_device_private', dev: 0, coherent: false },
  { name: 'hmm.hmm_device_coherent', dev: 2, coherent: true },
];

/** FIXTURE_SETUP / FIXTURE_TEARDOWN on the 7.0 configuration. */
function withDevice(dev: number, body: (sim: HmmSim, fd: number) => void): () => void {
  return () => {
    const sim = new HmmSim(2200, 1100, 'madvise', '7.0');
    const fd = sim.open(dev, 0);
    body(sim, fd);
    sim.close(fd);
  };
}

const readAll = (sim: HmmSim, pid: number, p: number, n: number): Array<number | string> =>
  Array.from({ length: n }, (_x, i) => sim.read(pid, p + i));

/** mmap(2 * size) and the PMD-aligned start inside it, as the THP tests place their buffer. */
function alignedBuffer(sim: HmmSim, size: number, prot: 'r' | 'rw'): number {
  const base = sim.mmap(0, 2 * size, prot);
  return Math.ceil(base / HUGE) * HUGE;
}

describe('hmm-tests of today (Linux 7.0 configuration)', () => {
  for (const v of VARIANTS) {
    // Changed since 6.1: four rounds, with and without migrating to the device first, on 4 KiB
    // pages and in a THP-aligned MADV_HUGEPAGE buffer; the child checks the parent's data, writes
    // through its own mirror, and the parent's copy must not change.
    for (const migrate of [false, true])
      for (const thp of [false, true])
        it(
          `${v.name}.anon_write_child (migrate ${Number(migrate)}, use_thp ${Number(thp)})`,
          withDevice(v.dev, (sim, fd) => {
            const n = thp ? HUGE : NPAGES;
            const p = thp ? alignedBuffer(sim, n, 'rw') : sim.mmap(0, 2 * n, 'rw');
            for (let i = 0; i < n; i++) sim.write(0, p + i, i * WORDS);
            if (migrate) {
              const r = sim.cmd(fd, 'migrate_to_dev', p, n);
              expect([r.ret, r.cpages]).toEqual([0, n]);
            }
            const child = sim.fork(0);
            expect(readAll(sim, child, p, n)).toEqual(iota(n));
            const cfd = sim.open(0, child);
            const w = sim.cmd(
              cfd,
              'write',
              p,
              n,
              iota(n, (i) => 0 - i * WORDS),
            );
            expect([w.ret, w.cpages, w.faults]).toEqual([0, n, 1]);
            expect(readAll(sim, child, p, n)).toEqual(iota(n, (i) => 0 - i * WORDS));
            sim.close(cfd);
            sim.exit(child);
            expect(readAll(sim, 0, p, n)).toEqual(iota(n));
          }),
        );

    // Changed since 6.1 (exclusive_cow) or the same (exclusive, exclusive_mprotect): on 7.0 they run
    // on make_device_exclusive() (kernelRules.ts make_device_exclusive 'one-pte').
    it(
      `${v.name}.exclusive_cow`,
      withDevice(v.dev, (sim, fd) => exclusiveCowBody(sim, fd, NPAGES)),
    );
    it(
      `${v.name}.exclusive`,
      withDevice(v.dev, (sim, fd) => exclusiveBody(sim, fd, NPAGES)),
    );
    it(
      `${v.name}.exclusive_mprotect`,
      withDevice(v.dev, (sim, fd) => exclusiveMprotectBody(sim, fd, NPAGES)),
    );

    it(
      `${v.name}.migrate_anon_huge_empty`,
      withDevice(v.dev, (sim, fd) => {
        const p = alignedBuffer(sim, HUGE, 'r');
        const r = sim.cmd(fd, 'migrate_to_dev', p, HUGE);
        expect([r.ret, r.cpages]).toEqual([0, HUGE]);
        expect(r.data).toEqual(iota(HUGE, () => 0));
      }),
    );

    it(
      `${v.name}.migrate_anon_huge_zero`,
      withDevice(v.dev, (sim, fd) => {
        const p = alignedBuffer(sim, HUGE, 'r');
        expect(sim.read(0, p)).toBe(0);
        const r = sim.cmd(fd, 'migrate_to_dev', p, HUGE);
        expect([r.ret, r.cpages]).toEqual([0, HUGE]);
        expect(r.data).toEqual(iota(HUGE, () => 0));
        expect(readAll(sim, 0, p, HUGE)).toEqual(iota(HUGE, () => 0));
      }),
    );

    it(
      `${v.name}.migrate_anon_huge_fault (data path; the PMD snapshot bits are not encoded)`,
      withDevice(v.dev, (sim, fd) => {
        const p = alignedBuffer(sim, HUGE, 'rw');
        for (let i = 0; i < HUGE; i++) sim.write(0, p + i, i * WORDS);
        const r = sim.cmd(fd, 'migrate_to_dev', p, HUGE);
        expect([r.ret, r.cpages]).toEqual([0, HUGE]);
        expect(r.data).toEqual(iota(HUGE));
        if (!v.coherent) {
          // Every page is a device-private entry now, none present (the pagemap check's PM_SWAP).
          const pt = sim.s.procs[0]?.pt ?? [];
          expect(pt.slice(p, p + HUGE).every((e) => e?.t === 'd')).toBe(true);
        }
        expect(readAll(sim, 0, p, HUGE)).toEqual(iota(HUGE));
      }),
    );

    for (const thp of [false, true])
      for (const off of [0, HUGE / 4, HUGE / 2])
        it(
          `${v.name}.migrate_partial_unmap_fault (use_thp ${Number(thp)}, offset ${off} pages)`,
          withDevice(v.dev, (sim, fd) => {
            const p = alignedBuffer(sim, HUGE, 'rw');
            for (let i = 0; i < HUGE; i++) sim.write(0, p + i, i * WORDS);
            const r = sim.cmd(fd, 'migrate_to_dev', p, HUGE);
            expect([r.ret, r.cpages]).toEqual([0, HUGE]);
            expect(r.data).toEqual(iota(HUGE));
            expect(sim.munmap(0, p + off, HUGE / 2)).toBe(0);
            for (let i = 0; i < HUGE; i++)
              if (i < off || i >= off + HUGE / 2) expect(sim.read(0, p + i)).toBe(i * WORDS);
          }),
        );
  }
});
