// The explorer's visited set: 64-bit state hashes in an open-addressing table, the two halves of a
// slot side by side in one Uint32Array (one cache miss per probe), at most half full, and its id: 24 bytes per
// state. No state is kept, only its hash, so two distinct states with the same 64-bit hash would be
// merged: with n states the probability that any such pair exists is at most n^2 / 2^65 (about
// 3e-8 for a million states), and eleven times that counting the segment hashes the state hash is
// made of (StateCodec.ts).
export class VisitedSet {
  private slots: Uint32Array;
  /** Per slot: the state's id, its insertion index (the explorer's state ids are the same). */
  private ids: Int32Array;
  private mask: number;
  size = 0;
  /** The id of the hash the last add() found already there, -1 after one it inserted. */
  lastId = -1;

  constructor(capacityPow2 = 1 << 16) {
    this.slots = new Uint32Array(2 * capacityPow2);
    this.ids = new Int32Array(capacityPow2);
    this.mask = capacityPow2 - 1;
  }

  /** Adds the hash; false when it was already there. (0, 0) marks an empty slot, so it is stored as (0, 1). */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    return this.insert(hi >>> 0, lo >>> 0);
  }

  /** The id of the state with this hash, or -1. */
  idOf(hi: number, lo: number): number {
    if (hi === 0 && lo === 0) lo = 1;
    hi >>>= 0;
    lo >>>= 0;
    const t = this.slots;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const h = t[2 * i] as number;
      const l = t[2 * i + 1] as number;
      if (h === 0 && l === 0) return -1;
      if (h === hi && l === lo) return this.ids[i] as number;
    }
  }

  has(hi: number, lo: number): boolean {
    return this.idOf(hi, lo) >= 0;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength + this.ids.byteLength;
  }

  private insert(hi: number, lo: number, id = this.size): boolean {
    const t = this.slots;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const h = t[2 * i] as number;
      const l = t[2 * i + 1] as number;
      if (h === 0 && l === 0) {
        t[2 * i] = hi;
        t[2 * i + 1] = lo;
        this.ids[i] = id;
        this.size++;
        this.lastId = -1;
        return true;
      }
      if (h === hi && l === lo) {
        this.lastId = this.ids[i] as number;
        return false;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    const oldIds = this.ids;
    this.slots = new Uint32Array(old.length * 2);
    this.ids = new Int32Array(old.length);
    this.mask = this.slots.length / 2 - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i] as number;
      const l = old[i + 1] as number;
      if (h !== 0 || l !== 0) this.insert(h, l, oldIds[i / 2] as number);
    }
  }
}
