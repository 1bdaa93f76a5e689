// schemaVersion 1, the foundation's format: read only by `svmcheck upgrade`, which rewrites a case
// in the current format (it lacks the driver hash, fingerprint and per-operation resolutions).
import { z } from 'zod';
import { ProgramSchema } from '../model/program.js';

export const CounterexampleFileV1Schema = z.object({
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

export type CounterexampleFileV1 = z.infer<typeof CounterexampleFileV1Schema>;
