// Scales and their validation. Small on purpose: a handful of pages and VRAM of a few pages make
// collisions, pressure and partial migration the normal case. The schema is the one definition:
// the Config type is inferred from it, so a field cannot be typed and yet dropped when an archived
// program is parsed; an unknown key is refused, as in the rest of a program.
import { z } from 'zod';
import { KERNEL_VERSIONS } from './kernelVersion.js';

export const GpuConfigSchema = z.strictObject({
  /** Device memory kind: device-private (PCIe: the CPU cannot touch it) or device-coherent (CAPI/CCIX). */
  mem: z.enum(['private', 'coherent']),
  /** VRAM size in pages (up to 1024 for the cost workloads, which keep their working set resident). */
  vram: z.number().int().min(1).max(1024),
  /** GPUs with the same hive id reach each other's VRAM (XGMI / P2P); others do not. */
  hive: z.number().int().min(0).max(7),
});

export type GpuConfig = z.infer<typeof GpuConfigSchema>;

export const ConfigSchema = z
  .strictObject({
    /**
     * Size of each process's virtual address space, in pages. The bug-hunting scales stay small;
     * up to 1024 (4 MiB of 4 KiB pages) lets the cost workloads hold a heap larger than 2 MiB.
     */
    vaPages: z.number().int().min(1).max(1024),
    /** Number of system pages, including the shared zero page (page 0). */
    sysPages: z.number().int().min(2).max(4096),
    gpus: z.array(GpuConfigSchema).min(1).max(4),
    /** Upper bound on processes (fork fails with EAGAIN beyond it). */
    maxProcs: z.number().int().min(1).max(8),
    /** mm details the conformance model needs (VMA merging on mprotect, page-table population); off by default. */
    exactMm: z.boolean().exactOptional(),
    /**
     * /sys/kernel/mm/transparent_hugepage/enabled. Absent or 'madvise' (nothing in the model calls
     * madvise(MADV_HUGEPAGE)): no THPs. 'always': model/kernel/thp.ts.
     */
    thp: z.enum(['always', 'madvise']).exactOptional(),
    /**
     * CPUs activities run on (model/cpus.ts). Absent: as many as there are activities, none bound,
     * so no activity ever waits for a CPU (the model before CPUs were explicit).
     */
    cpus: z.number().int().min(1).max(8).exactOptional(),
    /**
     * The kernel's preemption model (CONFIG_PREEMPT_NONE / _VOLUNTARY / PREEMPT): where a task
     * running kernel code gives its CPU up. Absent: 'voluntary', what Debian 12's kernel configs
     * select (linux-config-6.1 and -6.12, config.amd64_none_amd64: CONFIG_PREEMPT_VOLUNTARY=y with
     * CONFIG_PREEMPT_DYNAMIC=y, whose boot default is the configured model).
     */
    preempt: z.enum(['none', 'voluntary', 'full']).exactOptional(),
    /**
     * The Linux release whose core-mm rules apply (model/kernelRules.ts). Absent: 6.1, the one
     * release the model followed before this field (kernelVersion.ts LEGACY_KERNEL).
     */
    kernel: z.enum(KERNEL_VERSIONS).exactOptional(),
    /**
     * Whether the processes' GPUs retry page faults (XNACK on) or treat them as fatal (off): amdgpu's
     * noretry parameter, per process kfd_process_xnack_mode(). Drivers that model amdkfd (`kfd`)
     * follow it; absent: on, what every driver modelled before this field (recoverable faults).
     */
    xnack: z.enum(['on', 'off']).exactOptional(),
    /**
     * Pages one pmd maps (HPAGE_PMD_NR), a power of two. Absent: 512, x86-64's 2 MiB. A small scope
     * sets a few pages so that a huge pmd, a PMD-sized hole or a device-private THP fits in its
     * address space (model/kernel/pmd.ts); conformance against a real kernel keeps 512.
     */
    pmdPages: z
      .number()
      .int()
      .min(2)
      .max(512)
      .refine((n) => (n & (n - 1)) === 0, 'pmdPages must be a power of two')
      .exactOptional(),
  })
  .superRefine((c, ctx) => {
    // A device-coherent page is mapped by the CPU and mirrored as-is, so every GPU must reach it.
    const coherent = c.gpus.some((g) => g.mem === 'coherent');
    if (coherent && new Set(c.gpus.map((g) => g.hive)).size > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['gpus'],
        message:
          'a device-coherent GPU requires every GPU to be in its hive (its VRAM must be reachable by all)',
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG: Config = {
  vaPages: 8,
  sysPages: 40,
  gpus: [
    { mem: 'private', vram: 3, hive: 0 },
    { mem: 'private', vram: 3, hive: 1 },
  ],
  maxProcs: 3,
};
