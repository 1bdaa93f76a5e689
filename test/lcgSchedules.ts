/**
 * A small deterministic spread of `n` schedules of `len` choices each, from a linear congruential
 * generator started at `seed`, every choice below `choices` (execute() takes it modulo the number
 * of runnable activities).
 */
export function lcgSchedules(n: number, len: number, seed: number, choices: number): number[][] {
  let x = seed;
  return Array.from({ length: n }, () =>
    Array.from({ length: len }, () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x % choices;
    }),
  );
}
