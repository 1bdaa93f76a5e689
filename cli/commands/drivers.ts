// svmcheck drivers: the built-in drivers, which are deliberately broken and what each should break.
import { BUILTIN_DRIVERS } from '../../drivers/builtins.js';
import type { Io } from '../io.js';
import { parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';

export async function driversCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('drivers', argv);
  if (p.positional.length) throw new UsageError(`svmcheck drivers: unexpected argument '${p.positional[0]}'`);
  const list = BUILTIN_DRIVERS.map((d) => ({
    name: d.name,
    broken: !!d.broken,
    expects: d.broken?.expects ?? null,
    summary: d.summary,
    ...(d.broken ? { bug: d.broken.bug, fix: d.broken.fix } : {}),
  }));
  if (p.flags['json']) io.out(JSON.stringify(list));
  else
    for (const d of list) {
      io.out(`${d.name.padEnd(22)} ${d.broken ? `broken, expected to break: ${d.expects}` : 'correct'}`);
      io.out(`${''.padEnd(22)} ${d.summary}`);
      if (d.broken) io.out(`${''.padEnd(22)} fix: ${d.fix}`);
    }
  return 0;
}
