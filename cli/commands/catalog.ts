// svmcheck catalog: the bug catalog as Markdown (docs/catalog.md) or JSON.
import { BUILTIN_DRIVERS } from '../../drivers/builtins.js';
import { catalogMarkdown } from '../../report/catalogMarkdown.js';
import type { Io } from '../io.js';
import { parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';

export async function catalogCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('catalog', argv);
  if (p.positional.length) throw new UsageError(`svmcheck catalog: unexpected argument '${p.positional[0]}'`);
  if (p.flags['md'] && p.flags['json'])
    throw new UsageError('svmcheck catalog: --md and --json exclude each other');
  if (p.flags['json'])
    io.out(
      JSON.stringify(BUILTIN_DRIVERS.filter((d) => d.broken).map((d) => ({ name: d.name, ...d.broken }))),
    );
  else io.out(catalogMarkdown(BUILTIN_DRIVERS).trimEnd());
  return 0;
}
