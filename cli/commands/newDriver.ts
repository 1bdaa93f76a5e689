// svmcheck new-driver NAME [--from mirror|reference|gpusvm]: writes NAME.ts (NAME.mts outside an ESM package), a commented driver
// that runs as it is, to start a design of one's own from.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gpusvm } from '../../drivers/gpusvm.js';
import { mirror } from '../../drivers/mirror.js';
import { reference } from '../../drivers/reference.js';
import { driverTemplate, type TemplateBase } from '../driverTemplate.js';
import { esmScope } from '../esmScope.js';
import type { Io } from '../io.js';
import { parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';

const BASES = { mirror, reference, gpusvm } as const;

export async function newDriverCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('new-driver', argv);
  const [name, extra] = p.positional;
  if (name === undefined) throw new UsageError('svmcheck new-driver: give the new driver a NAME');
  if (extra !== undefined) throw new UsageError(`svmcheck new-driver: unexpected argument '${extra}'`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
    throw new UsageError(
      `svmcheck new-driver: NAME must be lower case letters, digits and - (got '${name}')`,
    );
  const from = String(p.flags['from'] ?? 'mirror');
  if (!(from in BASES))
    throw new UsageError(
      `svmcheck new-driver: --from must be one of ${Object.keys(BASES).join(', ')} (got '${from}')`,
    );
  // .ts inside a package with "type": "module", else .mts: the file is an ES module either way.
  const ext = esmScope(process.cwd()) ? 'ts' : 'mts';
  const file = resolve(`${name}.${ext}`);
  if (existsSync(file))
    throw new UsageError(`svmcheck new-driver: ${name}.${ext} exists; it is left as it is`);
  const base = from as TemplateBase;
  writeFileSync(file, driverTemplate(name, base, BASES[base], ext), { flag: 'wx' });
  io.out(`wrote ${name}.${ext} (from ${base}); run it: npx svmcheck run --driver ${name}.${ext} --time 60`);
  return 0;
}
