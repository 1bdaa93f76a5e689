// Encoded states stored back to back in fixed-size Int32Array chunks: the explorer's frontier costs
// a few hundred bytes per state and holds no object the garbage collector has to trace. Chunks
// (not one doubling array) because copying a frontier of hundreds of MiB on every doubling, and
// zero-filling fresh memory, showed in profiles; a finished level's chunks serve a later level.
import { grown } from './grown.js';

/** Words per chunk (16 MiB); a larger state gets a chunk of its own size. */
const CHUNK_WORDS = 1 << 22;

export class Arena {
  private readonly chunks: Int32Array[] = [];
  /** Words used in the last chunk. */
  private used = 0;
  private total = 0;
  private chunkOf = new Int32Array(1024);
  private starts = new Int32Array(1024);
  private nodes = new Int32Array(1024);
  count = 0;

  /**
   * `spare`: chunks of a level that is done with, reused before new memory is taken. `shared`: new
   * chunks are SharedArrayBuffers, so worker threads read the states in place (explore --workers).
   */
  constructor(
    private readonly spare: Int32Array[] = [],
    private readonly shared = false,
  ) {}

  /** Appends words[from..to) as the state of path node `node`. */
  append(words: Int32Array, from: number, to: number, node: number): void {
    const len = to - from;
    let last = this.chunks[this.chunks.length - 1];
    if (!last || this.used + len > last.length) {
      const reuse = this.spare.length > 0 && (this.spare[this.spare.length - 1] as Int32Array).length >= len;
      const words = Math.max(CHUNK_WORDS, len);
      last = reuse
        ? (this.spare.pop() as Int32Array)
        : this.shared
          ? new Int32Array(new SharedArrayBuffer(4 * words))
          : new Int32Array(words);
      this.chunks.push(last);
      this.used = 0;
    }
    last.set(words.subarray(from, to), this.used);
    if (this.count === this.starts.length) {
      this.chunkOf = grown(this.chunkOf);
      this.starts = grown(this.starts);
      this.nodes = grown(this.nodes);
    }
    this.chunkOf[this.count] = this.chunks.length - 1;
    this.starts[this.count] = this.used;
    this.nodes[this.count] = node;
    this.count++;
    this.used += len;
    this.total += len;
  }

  /** The chunk holding state i. */
  words(i: number): Int32Array {
    return this.chunks[this.chunkOf[i] as number] as Int32Array;
  }

  /** Where state i starts in its chunk. */
  start(i: number): number {
    return this.starts[i] as number;
  }

  node(i: number): number {
    return this.nodes[i] as number;
  }

  /** Gives up the chunks (for another level to reuse); the arena is empty afterwards. */
  release(): Int32Array[] {
    const out = this.chunks.splice(0);
    this.count = 0;
    this.used = 0;
    this.total = 0;
    return out;
  }

  /** Bytes in use. */
  get bytes(): number {
    return this.total * 4 + this.count * 12;
  }
}
