// The program vocabulary: operations a user-space program (CPU threads) and GPU queues issue.
// Operations name memory relative to the current state (the n-th VMA of the n-th live process,
// modulo what exists), so most generated operations apply and keep applying while they shrink.
import { z } from 'zod';

const thread = z.number().int().min(0).max(1);
const idx = z.number().int().min(0).max(1023);
// Up to a whole address space (config vaPages): a workload maps a brk heap larger than 2 MiB.
const count = z.number().int().min(1).max(1024);
const prot = z.enum(['none', 'r', 'rw']);
const attr = z.strictObject({
  t: z.enum(['preferred', 'prefetch', 'access', 'aip', 'noaccess', 'set_flags', 'clr_flags', 'gran']),
  v: z.number().int().min(-1).max(255),
});

export const OpSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('mmap'), on: thread, proc: idx, pages: count, prot, shared: z.boolean() }),
  z.strictObject({ op: z.literal('munmap'), on: thread, proc: idx, vma: idx, off: idx, len: count }),
  z.strictObject({ op: z.literal('mprotect'), on: thread, proc: idx, vma: idx, off: idx, len: count, prot }),
  z.strictObject({
    op: z.literal('madvise_dontneed'),
    on: thread,
    proc: idx,
    vma: idx,
    off: idx,
    len: count,
  }),
  z.strictObject({ op: z.literal('fork'), on: thread, proc: idx }),
  z.strictObject({ op: z.literal('exit'), on: thread, proc: idx }),
  z.strictObject({ op: z.literal('cpu_read'), on: thread, proc: idx, vma: idx, off: idx }),
  z.strictObject({ op: z.literal('cpu_write'), on: thread, proc: idx, vma: idx, off: idx }),
  z.strictObject({ op: z.literal('gpu_read'), gpu: idx, proc: idx, vma: idx, off: idx }),
  z.strictObject({ op: z.literal('gpu_write'), gpu: idx, proc: idx, vma: idx, off: idx }),
  /**
   * A GPU atomic (read-modify-write) access: a write that also needs the PTE's atomic permission;
   * xe faults it with the atomic bit and wants the range in device memory (devmem_only).
   */
  z.strictObject({ op: z.literal('gpu_atomic'), gpu: idx, proc: idx, vma: idx, off: idx }),
  z.strictObject({
    op: z.literal('migrate'),
    on: thread,
    gpu: idx,
    proc: idx,
    vma: idx,
    off: idx,
    len: count,
    to: z.enum(['dev', 'sys']),
  }),
  /** KFD_IOCTL_SVM_OP_SET_ATTR over a range (may extend past the VMA: -EFAULT). */
  z.strictObject({
    op: z.literal('svm_set_attr'),
    on: thread,
    proc: idx,
    vma: idx,
    off: idx,
    len: count,
    attrs: z.array(attr).max(8),
  }),
  z.strictObject({ op: z.literal('svm_get_attr'), on: thread, proc: idx, vma: idx, off: idx, len: count }),
  /** A non-SVM GPU VM mapping over the range (a KFD userptr BO): SVM must then refuse it with -EADDRINUSE. */
  z.strictObject({ op: z.literal('gpuvm_map'), on: thread, proc: idx, vma: idx, off: idx, len: count }),
  /**
   * Command submission from a CPU thread: a job on a GPU engine that touches SVM memory (`svm`,
   * may fault) or only its buffer object `bo` (-1 none), after the fence of the `dep`-th most recent
   * submission (0: no dependency).
   */
  z.strictObject({
    op: z.literal('submit'),
    on: thread,
    gpu: idx,
    engine: z.enum(['gfx', 'compute']),
    proc: idx,
    vma: idx,
    off: idx,
    write: z.boolean(),
    svm: z.boolean(),
    bo: z.number().int().min(-1).max(7),
    dep: z.number().int().min(0).max(15),
  }),
  /** Wait for the fence of the `fence`-th most recent submission (0: the latest). */
  z.strictObject({
    op: z.literal('fence_wait'),
    on: thread,
    proc: idx,
    fence: z.number().int().min(0).max(15),
  }),
  /** An allocation under memory pressure that enters direct reclaim (the shrinkers run). */
  z.strictObject({ op: z.literal('reclaim'), on: thread, proc: idx }),
  /**
   * Driver unbind of a GPU (echo > /sys/bus/pci/drivers/.../unbind): its device memory is torn down,
   * pages still in use migrated back to system memory, and later requests for it refused.
   */
  z.strictObject({ op: z.literal('device_unbind'), on: thread, proc: idx, gpu: idx }),
]);

export type Op = z.infer<typeof OpSchema>;
export type OpKind = Op['op'];

/** The foundation's operations: the mm syscalls, CPU and GPU accesses, explicit migration. */
export const CORE_OP_KINDS: readonly OpKind[] = [
  'mmap',
  'munmap',
  'mprotect',
  'madvise_dontneed',
  'fork',
  'exit',
  'cpu_read',
  'cpu_write',
  'gpu_read',
  'gpu_write',
  'migrate',
];

export const OP_KINDS: readonly OpKind[] = [
  ...CORE_OP_KINDS,
  'svm_set_attr',
  'svm_get_attr',
  'gpuvm_map',
  'submit',
  'fence_wait',
  'reclaim',
  'device_unbind',
  'gpu_atomic',
];
