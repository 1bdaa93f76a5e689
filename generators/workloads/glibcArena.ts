// A glibc-like malloc arena (malloc/malloc.c, 64-bit): chunks of request + 8 bytes rounded up to 16
// (32 at least) carved from the top of the arena, freed chunks reused first-fit when the request
// fits without wasting a minimum chunk (tcache and the small bins hand back chunks of the same size
// class). Requests of MMAP_THRESHOLD (128 KiB) or more never reach an arena: the caller maps them.
// Not modelled: the dynamic mmap threshold (glibc raises it when an mmapped chunk is freed),
// coalescing of free neighbours, trimming the top.
import { PAGE_BYTES } from '../../model/costs/costs.js';

/** DEFAULT_MMAP_THRESHOLD. */
export const MMAP_THRESHOLD = 128 * 1024;
/** DEFAULT_TOP_PAD: sbrk grows the heap by the request plus this much, page-aligned. */
export const TOP_PAD = 128 * 1024;

const MIN_CHUNK = 32;

/** A chunk handed out: its user data at byte `start` of the arena's VMA, `size` bytes. */
export interface Chunk {
  readonly start: number;
  readonly size: number;
  readonly chunk: number;
}

export class GlibcArena {
  private top = 0;
  private readonly free: Chunk[] = [];

  malloc(size: number): Chunk {
    if (size >= MMAP_THRESHOLD) throw new Error(`GlibcArena: ${size} bytes is mmapped, not an arena chunk`);
    const need = Math.max(MIN_CHUNK, Math.ceil((size + 8) / 16) * 16);
    const i = this.free.findIndex((c) => c.chunk >= need && c.chunk < need + MIN_CHUNK);
    if (i >= 0) {
      const c = this.free[i] as Chunk;
      this.free.splice(i, 1);
      return { start: c.start, size, chunk: c.chunk };
    }
    // The chunk header (prev_size, size) precedes the user data: mem = chunk + 2 * SIZE_SZ.
    const c = { start: this.top + 16, size, chunk: need };
    this.top += need;
    return c;
  }

  release(c: Chunk): void {
    this.free.push(c);
  }

  /** Pages the arena's VMA needs: the top of the used chunks plus the pad, page-aligned. */
  pages(): number {
    return Math.ceil((this.top + 16 + TOP_PAD) / PAGE_BYTES);
  }

  /** Bytes carved from the top so far. */
  used(): number {
    return this.top;
  }
}
