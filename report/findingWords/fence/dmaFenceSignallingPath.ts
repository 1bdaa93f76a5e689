import { match } from 'ts-pattern';
import type { DmaFenceSignallingPathFinding } from '../../../properties/fence/dmaFenceSignallingPath.js';
import type { Words } from '../../../properties/invariant.js';

export function dmaFenceSignallingPathWords(f: DmaFenceSignallingPathFinding): Words {
  return match(f)
    .with({ code: 'resv-lock' }, ({ data: d }) => ({
      expected: 'no dma_resv lock in a dma_fence signalling path',
      actual: `dma_resv_lock(${d.lock}) holding ${d.held.join(', ')}`,
      message: `a dma_fence signalling path takes ${d.lock}, whose holders may wait for that fence`,
    }))
    .with({ code: 'alloc' }, ({ data: d }) => ({
      expected: 'no allocation that can enter reclaim in a dma_fence signalling path',
      actual: `${d.gfp} allocation of ${d.what} holding ${d.held.join(', ')}`,
      message: `a dma_fence signalling path allocates ${d.what} with GFP_KERNEL: reclaim may wait on the fence it is about to signal`,
    }))
    .exhaustive();
}
