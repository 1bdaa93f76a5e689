// Migration-granularity blocks are sized as kfd sizes them, 1UL << granularity (a 64-bit shift),
// for every granularity set_attr accepts (0..0x3f): a block at least as large as the range covers
// the whole range, where a 32-bit `1 << g` would give a negative size at 31 and one page at 32.
// A new range's granularity is the driver's default, in the same unit: kfd's 9, the reference's 1.
import { describe, expect, it } from 'vitest';
import { kfd } from '../drivers/kfd.js';
import { reference } from '../drivers/reference.js';
import type { Op } from '../model/ops.js';
import { granularityPages } from '../model/uapi.js';
import { eventsOf, gpuRead, mmap, run } from './helpers.js';

describe('migration granularity', () => {
  it('is 2^g pages for every granularity set_attr accepts', () => {
    expect(granularityPages(0)).toBe(1);
    expect(granularityPages(9)).toBe(512);
    expect(granularityPages(31)).toBe(2 ** 31);
    expect(granularityPages(32)).toBe(2 ** 32);
    expect(granularityPages(0x3f)).toBe(2 ** 63);
  });

  for (const gran of [30, 31, 32, 40, 0x3f, 0xff])
    it(`a GPU fault in a range of granularity ${gran} migrates the whole range (the block holds it)`, () => {
      const r = run(
        [
          mmap(8),
          { op: 'svm_set_attr', on: 0, proc: 0, vma: 0, off: 0, len: 8, attrs: [{ t: 'gran', v: gran }] },
          gpuRead(3),
        ],
        { driver: reference },
      );
      expect(r.violation).toBeNull();
      // set_attr splits the 8 pages at the largest range size (svm_range_split_by_granularity's
      // max_svm_range_pages, 4 here): the fault's range is [0, 3], and its window all of it.
      expect(eventsOf(r, 'svm-window')[0]).toMatchObject({ start: 0, last: 3, rangeStart: 0, rangeLast: 3 });
    });
});

describe('default granularity', () => {
  const getAll: Op = { op: 'svm_get_attr', on: 0, proc: 0, vma: 0, off: 0, len: 8 };
  for (const [driver, gran, window] of [
    [kfd, 9, { start: 0, last: 3 }],
    [reference, 1, { start: 2, last: 3 }],
  ] as const)
    it(`${driver.name}: a range a GPU fault makes has granularity ${gran}, and get_attr reports it as stored`, () => {
      const r = run([mmap(8), getAll, gpuRead(3), getAll], { driver });
      expect(r.violation).toBeNull();
      // Nothing registered, then the fault's range [0, 3] (svm_range_create_unregistered_range).
      expect(eventsOf(r, 'svm-get-attr').map((e) => e.got?.gran)).toEqual([gran, gran]);
      // The window is the granularity block around page 3, clipped to the range: kfd's 2 MiB block
      // holds the whole range, the reference's two pages do not.
      expect(eventsOf(r, 'svm-window')[0]).toMatchObject({ ...window, rangeStart: 0, rangeLast: 3 });
    });
});
