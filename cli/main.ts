// svmcheck's command line. Returns the exit code: 0 nothing broke, 1 an invariant broke, 2 bad usage or input.
import type { Io } from './io.js';
import { conformanceCommand } from './commands/conformance.js';
import { catalogCommand } from './commands/catalog.js';
import { driversCommand } from './commands/drivers.js';
import { exploreCommand } from './commands/explore.js';
import { listCommand } from './commands/list.js';
import { replayCommand } from './commands/replay.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { selfcheckCommand } from './commands/selfcheck.js';
import { upgradeCommand } from './commands/upgrade.js';
import { suitesCommand } from './commands/suites.js';
import { UsageError } from './usageError.js';

export const USAGE = `usage: svmcheck <command> [flags]

commands:
  run      [--driver NAME|PATH] [--suite NAME] [--runs N] [--seed N] [--time SECONDS] [--shrink-time SECONDS]
           [--shard I/N] [--workers N] [--archive DIR|none] [--junit FILE] [--progress SECONDS] [--path P]
           [--json] [--stats]
           property-based check of one driver; archived cases of the driver are replayed first; exit 1
           with a shrunk counterexample (archived in DIR, default counterexamples/) when an invariant breaks
  suites   [--driver NAME|PATH] [--runs N] [--seed N] [--archive DIR|none] [--junit FILE] [--json]
           the default suites (mirror, migration, fork, multi-gpu, ranges) with a summary: what npm start runs
  explore  [--driver NAME|PATH] [--scope NAME] [--depth D] [--max-states N] [--no-symmetry] [--json]
           every operation and interleaving from the initial state to depth D at a small scope,
           breadth-first; exit 1 with the shortest counterexample when an invariant breaks
  replay   FILE... [--json]
           re-execute archived counterexamples, printing their traces; exit 1 if any still breaks an invariant
  report   FILE [--format md|text|json]
           an archived counterexample as a bug report: Markdown (issue), text (mailing list, 72 columns), JSON
  list     [DIR] [--json]
           the archive as a table: fingerprint, driver, invariant, status, steps
  upgrade  FILE...
           rewrite schemaVersion 1 counterexamples in the current format, beside the old files
  schema   the JSON Schema of counterexample files
  drivers  [--json]
           the built-in drivers, which are deliberately broken and what each is expected to break
  selfcheck [--json] [--time-per-entry S] [--seeds K] [--reference-runs N]
           run the bug catalog: every entry must be caught with its class, correct drivers must pass
  catalog  [--md|--json]
           the bug catalog (docs/catalog.md is generated from it)
  conformance [--programs N] [--seed N] [--batch N] [--hang-checks N] [--no-shrink] [--file F] [--record DIR] [--json]
           the model against Linux 6.1's lib/test_hmm.c under QEMU: exit 1 on any disagreement
  conformance --recheck DIR [--json]
           compare the boots a run saved in DIR again, against the current model (no VM)
  help     this text`;

const COMMANDS: Record<string, (argv: readonly string[], io: Io) => Promise<number>> = {
  run: runCommand,
  suites: suitesCommand,
  explore: exploreCommand,
  replay: replayCommand,
  report: reportCommand,
  list: listCommand,
  schema: schemaCommand,
  upgrade: upgradeCommand,
  drivers: driversCommand,
  conformance: conformanceCommand,
  selfcheck: selfcheckCommand,
  catalog: catalogCommand,
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
