// The named scopes, smallest first: each is small enough to cover exhaustively to its depth, and
// together they reach every interleaving shape the deliberately broken drivers need.
import type { Scope } from './scope.js';

export const SCOPES: readonly Scope[] = [
  {
    name: 'tiny',
    summary: 'one CPU thread, one GPU with one VRAM page, two VA pages, one process',
    config: { vaPages: 2, sysPages: 4, gpus: [{ mem: 'private', vram: 1, hive: 0 }], maxProcs: 1 },
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    depth: 6,
  },
  {
    name: 'two-gpus',
    summary: 'one CPU thread, two identical GPUs with one VRAM page each, two VA pages',
    config: {
      vaPages: 2,
      sysPages: 4,
      gpus: [
        { mem: 'private', vram: 1, hive: 0 },
        { mem: 'private', vram: 1, hive: 0 },
      ],
      maxProcs: 1,
    },
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    depth: 5,
  },
  {
    name: 'fork',
    summary: 'two CPU threads, one GPU, two VA pages, up to two processes',
    config: { vaPages: 2, sysPages: 5, gpus: [{ mem: 'private', vram: 1, hive: 0 }], maxProcs: 2 },
    threads: 2,
    faultPages: 1,
    faultsPerStep: 1,
    depth: 4,
  },
];

export function scopeByName(name: string): Scope | undefined {
  return SCOPES.find((s) => s.name === name);
}
