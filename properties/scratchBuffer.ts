// A working array an invariant reuses from one check to the next: checks run after every step, and
// allocating their arrays each time showed in profiles. One per caller (a check is not re-entrant).

/** Returns a function giving the buffer with its first n entries set to `fill` (it may be longer). */
export function scratchBuffer(): (n: number, fill: number) => number[] {
  // Grown by push and filled by a loop: `new Array(n)` makes a holey array, whose fill() and reads
  // take V8's slow paths.
  const buf: number[] = [];
  return (n, fill) => {
    while (buf.length < n) buf.push(fill);
    for (let i = 0; i < n; i++) buf[i] = fill;
    return buf;
  };
}
