// A growable Int32Array: the explorer's path records and the edges of its state graph.
import { grown } from './grown.js';

export class Ints {
  a = new Int32Array(1024);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) this.a = grown(this.a);
    this.a[this.n++] = x;
  }
  /** Appends words[0..n). */
  pushAll(words: Int32Array, n: number): void {
    while (this.n + n > this.a.length) this.a = grown(this.a);
    this.a.set(words.subarray(0, n), this.n);
    this.n += n;
  }
  at(i: number): number {
    return this.a[i] as number;
  }
}
