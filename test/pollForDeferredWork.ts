// The cpus suite's shrunk case of svm-flush-busy-wait: a GPU read faults a range in, munmap queues
// the deferred range work (bound to CPU 0, where munmap ran), and set_attr waits for that work
// before it takes mmap_lock; one CPU under the preemption model given.
import type { Program } from '../model/program.js';

export function pollForDeferredWork(preempt: 'none' | 'voluntary' | 'full'): Program {
  return {
    config: {
      vaPages: 8,
      sysPages: 40,
      maxProcs: 3,
      gpus: [{ mem: 'private', vram: 1, hive: 0 }],
      cpus: 1,
      preempt,
    },
    ops: [
      { op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false },
      { op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false },
      { op: 'gpu_read', gpu: 0, proc: 0, vma: 3, off: 0 },
      { op: 'munmap', on: 0, proc: 0, vma: 3, off: 0, len: 1 },
      { op: 'svm_set_attr', on: 0, proc: 0, vma: 0, off: 0, len: 1, attrs: [{ t: 'set_flags', v: 1 }] },
    ],
    schedule: [],
    faults: [],
  };
}
