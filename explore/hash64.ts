// A 64-bit hash of a run of 32-bit words: two murmur3-style lanes with different seeds and
// multipliers, crossed and finalized with murmur3's fmix32. A tight loop over a typed array:
// a few nanoseconds per word.

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface Hash {
  hi: number;
  lo: number;
}

/** Hashes words[from..to) into out. */
export function hash64(words: Int32Array, from: number, to: number, out: Hash): void {
  let a = 0x9747b28c;
  let b = 0x2f0b7e1d;
  for (let i = from; i < to; i++) {
    const x = words[i] as number;
    let k = Math.imul(x, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    a ^= Math.imul(k, 0x1b873593);
    a = (a << 13) | (a >>> 19);
    a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    let j = Math.imul(x ^ 0x5bd1e995, 0x85ebca77);
    j = (j << 13) | (j >>> 19);
    b ^= Math.imul(j, 0xc2b2ae3d);
    b = (b << 17) | (b >>> 15);
    b = (Math.imul(b, 9) + 0x52dce729) | 0;
  }
  const n = to - from;
  a = fmix(a ^ n);
  b = fmix(b ^ n);
  // Cross the lanes so that each half depends on both (an invertible map: no entropy is lost).
  const x = (a + Math.imul(b, 0x27d4eb2d)) | 0;
  const y = b ^ Math.imul(x, 0x165667b1);
  out.hi = fmix(x);
  out.lo = fmix(y);
}
