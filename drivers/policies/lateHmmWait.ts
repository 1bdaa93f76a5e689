// The fence policy that reserves the buffers of a dma_fence submission before it waits for its
// hmm_fence dependency (König's rule 6 broken): submit's 'rule6' step (the early wait) and
// 'reserve' step (the wait moved under the dma_resv) replaced (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { boResv, dmaResvLock } from '../../model/fence/dmaResv.js';
import { waitFence } from '../../model/fence/waitFence.js';
import { block, goto } from '../../model/proc.js';
import { fenceReference } from './fenceReference.js';
import type { FenceSubmitLocals } from './fenceSubmit.js';

export const lateHmmWait: Driver = defineDriver(
  withSteps<FenceSubmitLocals>(
    fenceReference,
    'submit',
    {
      rule6: () => goto('reserve'),
      reserve(env, l) {
        if (l.boId < 0) return goto('publish');
        if (!dmaResvLock(env, boResv(l.boId))) return block({ k: 'lock', name: boResv(l.boId), mode: 'w' });
        const dep = env.s.sync.fences[l.dep];
        if (l.kind === 'dma' && dep?.kind === 'hmm') {
          // The bug: the hmm_fence dependency waited for with the buffer's dma_resv held.
          waitFence(env, l.dep, 'dependency', 'hmm_fence dependency of a new dma_fence');
          l.after = 'validate';
          return goto('depWait');
        }
        return goto('validate');
      },
    },
    {
      name: 'fence-late-hmm-wait',
      summary:
        'fence policy that reserves the buffers of a dma_fence submission before waiting for its hmm_fence dependency',
      broken: {
        bug: 'the submission sleeps on an hmm_fence holding a dma_resv; the faulting job behind that fence may need to evict exactly that buffer',
        fix: 'König, seed 003 rule 6: with an hmm_fence dependency for a new dma_fence, wait for it before taking any lock or reserving resources',
        expects: 'fence',
        layer: 'fences-locks',
        scenario: [
          'a job with an hmm_fence runs; a 3D submission that depends on it reserves its buffer',
          'it then sleeps on the hmm_fence holding the dma_resv the faulting job may need to evict',
        ],
      },
    },
  ),
);
