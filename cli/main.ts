// svmcheck's command line. Returns the exit code: 0 nothing broke, 1 an invariant broke, 2 bad usage or input, 3 incomplete, 70 an internal error (ToolError).
import { toolVersion } from '../archive/toolVersion.js';
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
import { newDriverCommand } from './commands/newDriver.js';
import { selfcheckCommand } from './commands/selfcheck.js';
import { upgradeCommand } from './commands/upgrade.js';
import { suitesCommand } from './commands/suites.js';
import { soakCommand } from './commands/soak.js';
import { compareCommand } from './commands/compare.js';
import { ToolError } from '../check/stepFailure.js';
import { DriverHang } from './stepWatchdog.js';
import { toolErrorLines } from './toolErrorLines.js';
import { COMMAND_SPECS, commandSpec } from './commandSpecs.js';
import { helpRequested } from './parseArgs.js';
import { commandUsage, globalUsage } from './usage.js';
import { UsageError } from './usageError.js';

type Command = (argv: readonly string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  suites: suitesCommand,
  soak: soakCommand,
  compare: compareCommand,
  explore: exploreCommand,
  replay: replayCommand,
  report: reportCommand,
  list: listCommand,
  schema: schemaCommand,
  'new-driver': newDriverCommand,
  upgrade: upgradeCommand,
  drivers: driversCommand,
  conformance: conformanceCommand,
  selfcheck: selfcheckCommand,
  catalog: catalogCommand,
};

function unknownCommand(cmd: string): UsageError {
  return new UsageError(
    `svmcheck: unknown command '${cmd}' (commands: ${COMMAND_SPECS.map((c) => c.name).join(', ')}; svmcheck help)`,
  );
}

async function dispatch(cmd: string | undefined, rest: readonly string[], io: Io): Promise<number> {
  if (cmd === undefined) {
    io.err(globalUsage());
    return 2;
  }
  if (cmd === '--version') {
    if (rest.length) throw new UsageError(`svmcheck: --version takes no arguments`);
    io.out(toolVersion());
    return 0;
  }
  if (cmd === 'help' || cmd === '--help' || cmd === '-h') {
    if (rest.length > 1) throw new UsageError('svmcheck help: give at most one command');
    const about = rest[0];
    if (about === undefined) io.out(globalUsage());
    else {
      const spec = commandSpec(about);
      if (!spec) throw unknownCommand(about);
      io.out(commandUsage(spec));
    }
    return 0;
  }
  const f = COMMANDS[cmd];
  const spec = commandSpec(cmd);
  if (!f || !spec) throw unknownCommand(cmd);
  if (helpRequested(cmd, rest)) {
    io.out(commandUsage(spec));
    return 0;
  }
  return f(rest, io);
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    return await dispatch(cmd, rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message);
      return 2;
    }
    // An error in svmcheck itself (or in a driver's JavaScript), never a kernel finding: nothing
    // was shrunk or archived. EX_SOFTWARE, so CI tells it from a failure of the code under test.
    if (e instanceof ToolError) {
      for (const line of toolErrorLines(e)) io.err(line);
      return 70;
    }
    // A driver step that never returned: its worker was stopped by the step watchdog.
    if (e instanceof DriverHang) {
      io.err(`svmcheck: ${e.message}`);
      return 70;
    }
    throw e;
  }
}
