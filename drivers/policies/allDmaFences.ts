import type { Driver } from '../../model/driver.js';
import { makeFenceDriver } from './makeFenceDriver.js';

/** Every job gets a dma_fence on a shared engine that cannot preempt a job stalled on a fault. */
export const allDmaFences: Driver = {
  ...makeFenceDriver(
    'fence-all-dma',
    'fence policy that gives every job a dma_fence and reserves nothing, on the shared gfx engine too',
    { allDmaFences: true },
  ),
  broken: {
    bug: 'a faulting compute job holds the shared engine while its fault handler evicts a buffer and waits on the dma_fence of a 3D job queued behind it on that engine',
    fix: 'Kuehling in seed 003 and dma-buf.rst "Recoverable Hardware Page Faults Implications": on an engine that cannot preempt faulting work every fence is an hmm_fence, or resources are reserved for dma_fence jobs',
    expects: 'fence',
    layer: 'fences-locks',
    scenario: [
      'a compute job that touches SVM memory and a 3D job share the gfx engine, both with dma_fences',
      "the compute job faults holding the engine; its eviction waits on the 3D job's dma_fence, queued behind it",
    ],
  },
};
