// A conformance program in the guest runner's vocabulary (conformance/kernel/runner.c): steps on
// numbered slots of anonymous memory and on the four /dev/hmm_dmirrorN devices. The same value runs
// on the model and, serialized, in the VM. Mappings are placed at fixed pages of the runner's arena
// (mmap_at) so that the model knows every address, neighbouring slots and pmd boundaries included.
import { z } from 'zod';

export const DEVICES = 4;
export const MAX_SLOTS = 64;

const slot = z
  .number()
  .int()
  .min(0)
  .max(MAX_SLOTS - 1);
const dev = z
  .number()
  .int()
  .min(0)
  .max(DEVICES - 1);
const pageoff = z.number().int().min(-64).max(1024);
const npages = z.number().int().min(0).max(4096);
const u32 = z.number().int().min(0).max(0xffffffff);
const prot = z.enum(['none', 'r', 'rw']);

export const DM_RANGE_OPS = [
  'dm_read',
  'dm_migrate_dev',
  'dm_migrate_sys',
  'dm_snapshot',
  'dm_exclusive',
  'dm_check_exclusive',
] as const;

export const StepSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('mmap_at'),
    slot,
    page: z
      .number()
      .int()
      .min(0)
      .max(1 << 20),
    npages: z
      .number()
      .int()
      .min(1)
      .max(1 << 20),
    prot,
    shared: z.boolean(),
  }),
  z.object({ op: z.literal('munmap'), slot, pageoff, npages }),
  z.object({ op: z.literal('mprotect'), slot, pageoff, npages, prot }),
  z.object({ op: z.literal('madvise_dontneed'), slot, pageoff, npages }),
  z.object({ op: z.literal('write'), slot, pageoff, value: u32 }),
  z.object({ op: z.literal('read'), slot, pageoff }),
  z.object({ op: z.literal('fork') }),
  z.object({ op: z.enum(DM_RANGE_OPS), dev, slot, pageoff, npages }),
  z.object({ op: z.literal('dm_write'), dev, slot, pageoff, npages, value: u32 }),
  z.object({ op: z.literal('dm_release'), dev }),
  z.object({ op: z.literal('dm_close'), dev }),
]);

export type Step = z.infer<typeof StepSchema>;
export type StepOp = Step['op'];

export const ProgramSchema = z.object({
  id: z.number().int().min(0),
  steps: z.array(StepSchema).max(256),
});

export type ConfProgram = z.infer<typeof ProgramSchema>;
