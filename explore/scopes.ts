// The named scopes, smallest first: each is small enough to cover exhaustively to its depth, and
// together they reach every interleaving shape the deliberately broken drivers need.
import type { Driver } from '../model/driver.js';
import type { OpKind } from '../model/ops.js';
import type { Scope } from './scope.js';

/** The foundation's operations: the mm syscalls, CPU and GPU accesses, explicit migration. */
const CORE: readonly OpKind[] = [
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
// One VA page: the smallest scopes must be exhaustive to depth 6 for every correct driver (two
// pages give 2.6 million states at depth 6 for mirror, a 3 GiB frontier).
const ONE_GPU: Scope['config'] = {
  vaPages: 1,
  sysPages: 3,
  gpus: [{ mem: 'private', vram: 1, hive: 0 }],
  maxProcs: 1,
};

export const SCOPES: readonly Scope[] = [
  {
    name: 'tiny',
    summary: 'one CPU thread, one GPU with one VRAM page, one VA page, one process',
    config: ONE_GPU,
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: CORE,
    depth: 6,
  },
  // The smallest scope of the svm_range drivers: their bugs need set_attr (ranges, attributes,
  // splits), and a non-SVM GPU VM mapping is what set_attr must refuse.
  {
    name: 'svm-tiny',
    summary: 'tiny, plus svm set_attr / get_attr and a non-SVM GPU VM mapping',
    config: ONE_GPU,
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: [...CORE, 'svm_set_attr', 'svm_get_attr', 'gpuvm_map'],
    depth: 6,
  },
  // The smallest scope of the fence policies: command submission, fence waits and reclaim; the mm
  // syscalls beyond mmap/munmap add nothing their rules are about.
  {
    name: 'fence-tiny',
    summary: 'one CPU thread, one GPU: mmap, munmap, accesses, submit, fence_wait, reclaim',
    config: ONE_GPU,
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: ['mmap', 'munmap', 'cpu_write', 'gpu_write', 'submit', 'fence_wait', 'reclaim'],
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
    kinds: CORE,
    depth: 5,
  },
  {
    name: 'fork',
    summary: 'two CPU threads, one GPU, two VA pages, up to two processes',
    config: { vaPages: 2, sysPages: 5, gpus: [{ mem: 'private', vram: 1, hive: 0 }], maxProcs: 2 },
    threads: 2,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: CORE,
    depth: 4,
  },
];

export function scopeByName(name: string): Scope | undefined {
  return SCOPES.find((s) => s.name === name);
}

/**
 * The smallest scope whose alphabet a driver uses: fence policies (suite 'fences') need submission,
 * svm_range drivers (a set_attr entry point) need the svm uAPI; the others need neither.
 */
export function smallestScope(driver: Driver): Scope {
  const name = driver.suite === 'fences' ? 'fence-tiny' : 'set_attr' in driver.procs ? 'svm-tiny' : 'tiny';
  const s = scopeByName(name);
  if (!s) throw new Error(`no scope ${name}`);
  return s;
}

/** The scopes to search for a driver's shortest violation, its smallest first. */
export function scopesFor(driver: Driver): Scope[] {
  const first = smallestScope(driver);
  return [first, ...SCOPES.filter((s) => s !== first && !s.name.endsWith('-tiny'))];
}
