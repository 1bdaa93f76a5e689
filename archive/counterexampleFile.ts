// The on-disk form of a counterexample: concrete operations, schedule and faults (replay never
// depends on fast-check's seed or path), the driver and the invariant it broke, and what the
// archive expects of it: 'open' (a real bug), 'fixed', or 'expected' (a deliberately broken driver).
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { ProgramSchema } from '../model/program.js';

export const CounterexampleFileSchema = z.object({
  schemaVersion: z.literal(1),
  title: z.string().min(1),
  driver: z.string().min(1),
  suite: z.string().min(1),
  seed: z.number().int(),
  invariant: z.string().min(1),
  message: z.string(),
  status: z.enum(['open', 'fixed', 'expected']),
  program: ProgramSchema,
});

export type CounterexampleFile = z.infer<typeof CounterexampleFileSchema>;

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

/** Reads and validates a counterexample file; every problem is an ArchiveError naming the file and field. */
export function loadCounterexampleFile(path: string): CounterexampleFile {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ArchiveError(`${path}: no such file`);
  }
  if (size > MAX_FILE_BYTES)
    throw new ArchiveError(`${path}: ${size} bytes is over the ${MAX_FILE_BYTES}-byte limit`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ArchiveError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return parseCounterexample(path, json);
}

export function parseCounterexample(where: string, json: unknown): CounterexampleFile {
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > 1)
    throw new ArchiveError(`${where}: schemaVersion ${version} is newer than this svmcheck understands (1)`);
  const r = CounterexampleFileSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    const field = i && i.path.length ? i.path.join('.') : '(top level)';
    throw new ArchiveError(`${where}: field ${field}: ${i?.message ?? 'invalid'}`);
  }
  return r.data;
}
