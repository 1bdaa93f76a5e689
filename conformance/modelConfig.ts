// The model's picture of the guest: four dmirror devices as booted by boot.sh (0 and 1
// device-private, 2 and 3 device-coherent), memory that never runs out at the scale of a program,
// and the exact-mm details switched on. Virtual page 0 is the runner's ARENA (2 MiB aligned).
import type { KernelVersion } from '../model/kernelVersion.js';
import type { Config } from '../model/types.js';

export const ERRNO: Record<string, number> = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EAGAIN: 11,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  EINVAL: 22,
  EOPNOTSUPP: 95,
};

/**
 * `kernel`: the release booted (the model follows its rules); `thp`: the guest's
 * transparent_hugepage= (boot.sh's SVMCHECK_THP); 'madvise' leaves cfg.thp unset.
 */
export function conformanceConfig(
  kernel: KernelVersion,
  vaPages: number,
  vram = 512,
  sysPages = 2048,
  thp: 'always' | 'madvise' = 'madvise',
): Config {
  const dev = (mem: 'private' | 'coherent') => ({ mem, vram, hive: 0 });
  return {
    vaPages,
    sysPages,
    gpus: [dev('private'), dev('private'), dev('coherent'), dev('coherent')],
    maxProcs: 64,
    exactMm: true,
    kernel,
    ...(thp === 'always' ? { thp } : {}),
  };
}
