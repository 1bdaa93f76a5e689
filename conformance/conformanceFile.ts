// The archive form of a conformance case: the project's counterexample header (title, driver,
// suite, seed, invariant, message, status) with a runner program instead of a model program, and
// both observation lists: what the model predicted and what Linux printed. A kernel finding is a
// case where the model predicts the kernel exactly and the kernel is wrong (status 'open', with a
// report for linux-mm); a disagreement is one where they differ. Loading names the file and field.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ArchiveError } from '../archive/archiveError.js';
import { ProgramSchema } from './program.js';

const LineSchema = z.record(z.string(), z.unknown());
const EndSchema = z.enum(['ok', 'oops', 'hang', 'model-error']);

export const ConformanceFileSchema = z.object({
  schemaVersion: z.literal(1),
  title: z.string().min(1),
  driver: z.literal('dmirror'),
  suite: z.literal('conformance'),
  seed: z.number().int(),
  invariant: z.string().min(1),
  message: z.string(),
  status: z.enum(['open', 'fixed', 'expected']),
  kernel: z.string().min(1),
  program: ProgramSchema,
  model: z.object({ end: EndSchema, lines: z.array(LineSchema), warnings: z.array(z.string()) }),
  observed: z.object({
    end: z.enum(['ok', 'oops', 'hang']),
    lines: z.array(LineSchema),
    /** The kernel's report (oops, WARNING), as printed on the console. */
    log: z.array(z.string()),
  }),
  report: z.string().optional(),
});

export type ConformanceFile = z.infer<typeof ConformanceFileSchema>;

export function loadConformanceFile(path: string): ConformanceFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ArchiveError(`${path}: ${(e as Error).message}`);
  }
  const r = ConformanceFileSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    const field = i && i.path.length ? i.path.join('.') : '(top level)';
    throw new ArchiveError(`${path}: field ${field}: ${i?.message ?? 'invalid'}`);
  }
  return r.data;
}
