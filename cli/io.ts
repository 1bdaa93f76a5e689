/** Where a command writes: stdout carries results (deterministic for a seed), stderr timings and progress. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Present only when stderr is a terminal: writes without a newline, for a progress bar redrawn in place. */
  tty?: (text: string) => void;
  /** The environment (GITHUB_ACTIONS, ...); process.env when absent. */
  env?: Readonly<Record<string, string | undefined>>;
}
