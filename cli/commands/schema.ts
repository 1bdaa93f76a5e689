// svmcheck schema: the JSON Schema of counterexample files (committed as counterexamples/schema.json).
import { counterexampleJsonSchema } from '../../archive/counterexampleJsonSchema.js';
import type { Io } from '../io.js';
import { parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';

export async function schemaCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('schema', argv);
  if (p.positional.length) throw new UsageError(`svmcheck schema: unexpected argument '${p.positional[0]}'`);
  io.out(JSON.stringify(counterexampleJsonSchema(), null, 2));
  return 0;
}
