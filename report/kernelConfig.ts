// The kernel configuration a case ran under, as a syzbot report heads with it: the Linux release
// whose core-mm rules the model followed (the program's Config.kernel), the options of the
// program's config that change kernel behaviour, and the scale.
import { kernelOf } from '../model/kernelVersion.js';
import { preemptModel } from '../model/cpus.js';
import type { Config } from '../model/types.js';

/** The preemption model in force (CONFIG_PREEMPT_*) and the CPUs, as every report states them. */
function preemptOption(c: Config): string {
  const m = preemptModel(c);
  const name = m === 'full' ? 'CONFIG_PREEMPT=y' : `CONFIG_PREEMPT_${m.toUpperCase()}=y`;
  const dflt = c.preempt === undefined ? " (Debian 12's default)" : '';
  const cpus =
    c.cpus === undefined ? 'CPUs not modelled (one per activity)' : `${c.cpus} CPU${c.cpus === 1 ? '' : 's'}`;
  return `${name}${dflt}, ${cpus}`;
}

export interface KernelConfig {
  version: string;
  /** Kernel options the config sets, as the kernel would name them. */
  options: string[];
  /** Pages, GPUs, VRAM and processes. */
  scale: string;
}

export function kernelConfig(c: Config): KernelConfig {
  const gpus = c.gpus.map(
    (g, i) => `gpu${i} ${g.mem}, ${g.vram} VRAM page${g.vram === 1 ? '' : 's'}, hive ${g.hive}`,
  );
  return {
    version: `Linux ${kernelOf(c)} (the model's core-mm rules${c.kernel === undefined ? '; the case predates the kernel field' : ''})`,
    options: [
      preemptOption(c),
      `transparent_hugepage=${c.thp ?? 'madvise'}`,
      ...(c.xnack ? [`XNACK ${c.xnack} (amdgpu.noretry=${c.xnack === 'off' ? 1 : 0})`] : []),
      c.exactMm
        ? 'exact mm (per-VMA mprotect and MADV_DONTNEED, vma_merge, fork by anon_vma)'
        : 'default mm scale',
    ],
    scale: `${c.vaPages} VA pages, ${c.sysPages - 1} system pages, ${c.gpus.length} GPU${c.gpus.length === 1 ? '' : 's'} (${gpus.join('; ')}), up to ${c.maxProcs} processes`,
  };
}
