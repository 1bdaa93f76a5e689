// The fence policy that gives every job a dma_fence and reserves nothing, on the shared gfx engine
// too (Kuehling's deadlock): submit's 'classify' step replaced (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { fenceReference } from './fenceReference.js';
import type { FenceSubmitLocals } from './fenceSubmit.js';

export const allDmaFences: Driver = defineDriver(
  withSteps<FenceSubmitLocals>(
    fenceReference,
    'submit',
    {
      classify(_env, l) {
        // The bug: a job that may fault gets a dma_fence, and nothing is reserved for it.
        l.kind = 'dma';
        l.reserved = false;
        return goto('rule6');
      },
    },
    {
      name: 'fence-all-dma',
      summary:
        'fence policy that gives every job a dma_fence and reserves nothing, on the shared gfx engine too',
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
    },
  ),
);
