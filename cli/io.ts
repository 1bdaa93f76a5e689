/** Where a command writes: stdout carries results (deterministic for a seed), stderr timings and progress. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}
