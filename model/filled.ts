// Arrays the model reads in every step, built packed: `new Array(n).fill(v)` leaves V8's holey
// elements kind for good, and every later read of a holey array pays for hole checks.

/** [v, v, ..., v] with n entries, as a packed array. */
export function filled<T>(n: number, v: T): T[] {
  const a: T[] = [];
  for (let i = 0; i < n; i++) a.push(v);
  return a;
}
