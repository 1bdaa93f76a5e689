// A program is everything that determines a run: the scale, the operations, the schedule (which
// runnable activity steps next) and the fault-injection stream consumed by migrate_vma. Strict, as
// the operations are: an archived program with a key svmcheck does not know is refused, not trimmed.
import { z } from 'zod';
import { ConfigSchema } from './config.js';
import { OpSchema } from './ops.js';

export const ProgramSchema = z.strictObject({
  config: ConfigSchema,
  ops: z.array(OpSchema).max(512),
  /** At each point where more than one activity can run, the next entry (mod their number) picks one; 0 when exhausted. */
  schedule: z.array(z.number().int().min(0).max(255)).max(4096),
  /**
   * One entry per migrate_vma_setup call, in call order: bit i (0-7) makes page i of the range busy
   * (trylock_page fails, not collected); bit 8+i makes migrate_vma_pages fail it (an unexpected
   * reference on a page, or anon_vma_prepare / mem_cgroup_charge failing for an empty pte).
   */
  faults: z.array(z.number().int().min(0).max(0xffff)).max(256),
});

export type Program = z.infer<typeof ProgramSchema>;
