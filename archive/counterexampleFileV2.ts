// schemaVersion 2, the format before findings were data: read only by `svmcheck upgrade`, which
// replays the case and adds its finding (violation.finding) beside the words it keeps.
import { z } from 'zod';
import { CounterexampleFileSchema, ViolationV2Schema } from './counterexampleFile.js';

export const CounterexampleFileV2Schema = CounterexampleFileSchema.extend({
  schemaVersion: z.literal(2),
  violation: ViolationV2Schema,
}).strict();

export type CounterexampleFileV2 = z.infer<typeof CounterexampleFileV2Schema>;
