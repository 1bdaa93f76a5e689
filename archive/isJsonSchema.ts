import { basename } from 'node:path';

/** The archive's JSON Schema (schema.json) sits among the cases: commands given `*.json` skip it. */
export function isJsonSchema(file: string, json: unknown): boolean {
  return (
    basename(file) === 'schema.json' ||
    (typeof json === 'object' && json !== null && !Array.isArray(json) && '$schema' in json)
  );
}
