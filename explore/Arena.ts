// Encoded states stored back to back in one growable Int32Array: the explorer's frontier costs a
// few hundred bytes per state and holds no object the garbage collector has to trace.
export class Arena {
  private buf: Int32Array = new Int32Array(1 << 16);
  private used = 0;
  private starts = new Int32Array(1024);
  private nodes = new Int32Array(1024);
  count = 0;

  /** Appends words[from..to) as the state of path node `node`. */
  append(words: Int32Array, from: number, to: number, node: number): void {
    const len = to - from;
    if (this.used + len > this.buf.length) {
      const b = new Int32Array(Math.max(this.buf.length * 2, this.used + len));
      b.set(this.buf.subarray(0, this.used));
      this.buf = b;
    }
    this.buf.set(words.subarray(from, to), this.used);
    if (this.count === this.starts.length) {
      const s = new Int32Array(this.starts.length * 2);
      s.set(this.starts);
      this.starts = s;
      const n = new Int32Array(this.nodes.length * 2);
      n.set(this.nodes);
      this.nodes = n;
    }
    this.starts[this.count] = this.used;
    this.nodes[this.count] = node;
    this.count++;
    this.used += len;
  }

  get words(): Int32Array {
    return this.buf;
  }

  start(i: number): number {
    return this.starts[i] as number;
  }

  node(i: number): number {
    return this.nodes[i] as number;
  }

  /** Bytes in use. */
  get bytes(): number {
    return this.used * 4 + this.count * 8;
  }
}
