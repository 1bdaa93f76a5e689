// A tmpfs file as the model knows one: a shmem object whose page cache pwrite() fills. Scenario
// tests use it for hmm-tests' file_* cases (O_TMPFILE in /tmp, pwrite, mmap of the fd, pread).
import { allocSysPage, newCell } from '../mem.js';
import type { State } from '../types.js';
import { filled } from '../filled.js';
import { CELLS, MM, PAGES, mut } from '../touched.js';

/** open(O_TMPFILE) + ftruncate(npages): the object id; the open file holds one user. */
export function shmemCreate(s: State, npages: number): number {
  const id = s.shms.length;
  const cells = Array.from({ length: npages }, () => newCell(s, 0));
  mut(MM, s.shms).push({ pages: filled<number>(npages, -1), cells, users: 1 });
  return id;
}

/** pwrite() of one page's first word: shmem_write_begin allocates the page-cache page if needed. */
export function shmemWrite(s: State, shm: number, off: number, value: number): void {
  const o = s.shms[shm];
  if (!o) throw new Error(`pwrite: no shmem object ${shm}`);
  let page = o.pages[off] ?? -1;
  if (page < 0) {
    page = allocSysPage(s);
    if (page < 0) throw new Error('pwrite: out of memory');
    const pg = s.phys[page];
    if (pg) mut(PAGES, pg).shm = shm;
    mut(MM, o.pages)[off] = page;
  }
  const pg = s.phys[page];
  if (pg) mut(PAGES, pg).data = value;
  const cell = s.cells[o.cells[off] ?? -1];
  if (cell) mut(CELLS, cell).v = value;
}

/** pread() of one page's first word: the page cache, or zeroes for a hole. */
export function shmemRead(s: State, shm: number, off: number): number {
  const page = s.shms[shm]?.pages[off] ?? -1;
  return page < 0 ? 0 : (s.phys[page]?.data ?? 0);
}
