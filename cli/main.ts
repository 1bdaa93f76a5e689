// svmcheck's command line. Returns the exit code: 0 nothing broke, 1 an invariant broke, 2 bad usage or input.
import type { Io } from './io.js';
import { driversCommand } from './commands/drivers.js';
import { exploreCommand } from './commands/explore.js';
import { replayCommand } from './commands/replay.js';
import { runCommand } from './commands/run.js';
import { suitesCommand } from './commands/suites.js';
import { UsageError } from './usageError.js';

export const USAGE = `usage: svmcheck <command> [flags]

commands:
  run      [--driver NAME|PATH] [--suite NAME] [--runs N] [--seed N] [--time SECONDS] [--path P] [--json] [--stats]
           property-based check of one driver; exit 1 with a shrunk counterexample when an invariant breaks
  suites   [--driver NAME|PATH] [--runs N] [--seed N] [--json]
           the default suites (mirror, migration, fork, multi-gpu) with a summary: what npm start runs
  explore  [--driver NAME|PATH] [--scope NAME] [--depth D] [--max-states N] [--no-symmetry] [--json]
           every operation and interleaving from the initial state to depth D at a small scope,
           breadth-first; exit 1 with the shortest counterexample when an invariant breaks
  replay   FILE... [--json]
           re-execute saved counterexamples; exit 1 if any still breaks its invariant
  drivers  [--json]
           the built-in drivers, which are deliberately broken and what each is expected to break
  help     this text`;

const COMMANDS: Record<string, (argv: readonly string[], io: Io) => Promise<number>> = {
  run: runCommand,
  suites: suitesCommand,
  explore: exploreCommand,
  replay: replayCommand,
  drivers: driversCommand,
};

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    io.out(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  const f = COMMANDS[cmd];
  try {
    if (!f) throw new UsageError(`svmcheck: unknown command '${cmd}'\n${USAGE}`);
    return await f(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message);
      return 2;
    }
    throw e;
  }
}
