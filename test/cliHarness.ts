import type { Io } from '../cli/io.js';
import { main } from '../cli/main.js';

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return cliWith({}, ...argv);
}

/** The CLI in process, with extra Io (a terminal for progress, an environment). */
export async function cliWith(
  extra: Pick<Io, 'tty' | 'env'>,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), ...extra });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
