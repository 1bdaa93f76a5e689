// Renumbering of small non-negative integers by first occurrence (0, 1, 2, ...), reset in O(1):
// how the state codec gives equal names to things that differ only in what they were called.
export class Renumber {
  private map: Int32Array = new Int32Array(64);
  private stamp: Int32Array = new Int32Array(64);
  private gen = 1;
  private next = 0;
  /** The raw numbers in order of first sight (order[0..size)). */
  order: Int32Array = new Int32Array(64);

  reset(): void {
    this.gen++;
    this.next = 0;
  }

  /** The canonical number of raw (>= 0). */
  of(raw: number): number {
    if (raw >= this.map.length) this.grow(raw + 1);
    if (this.stamp[raw] === this.gen) return this.map[raw] as number;
    this.stamp[raw] = this.gen;
    this.map[raw] = this.next;
    if (this.next === this.order.length) {
      const o = new Int32Array(this.order.length * 2);
      o.set(this.order);
      this.order = o;
    }
    this.order[this.next] = raw;
    return this.next++;
  }

  /** How many numbers have been handed out since the last reset. */
  get size(): number {
    return this.next;
  }

  private grow(n: number): void {
    const len = Math.max(n, this.map.length * 2);
    const m = new Int32Array(len);
    m.set(this.map);
    const st = new Int32Array(len);
    st.set(this.stamp);
    this.map = m;
    this.stamp = st;
  }
}
