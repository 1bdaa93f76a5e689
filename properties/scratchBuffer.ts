// A working array an invariant reuses from one check to the next: checks run after every step, and
// allocating their arrays each time showed in profiles. One per caller (a check is not re-entrant).

/** Returns a function giving the buffer with its first n entries set to `fill` (it may be longer). */
export function scratchBuffer(): (n: number, fill: number) => number[] {
  let buf: number[] = [];
  return (n, fill) => {
    if (buf.length < n) buf = new Array<number>(n);
    buf.fill(fill, 0, n);
    return buf;
  };
}
