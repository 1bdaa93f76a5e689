import { z } from 'zod';
import { CounterexampleFileSchema } from './counterexampleFile.js';

/** The JSON Schema of counterexample files, exported from the zod schema (committed as counterexamples/schema.json). */
export function counterexampleJsonSchema(): Record<string, unknown> {
  return {
    title: 'svmcheck counterexample file',
    ...z.toJSONSchema(CounterexampleFileSchema),
  };
}
