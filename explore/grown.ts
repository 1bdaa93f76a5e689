// The growth step of the explorer's growable word arrays (codec buffer, path records, frontier index).

/** A copy of `a` in an array twice its length. */
export function grown(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
