// xe whose notifier callback zaps the GPU binding but does not unmap the range's pages
// (drm_gpusvm_range_unmap_pages): its invalidate 'unmap_pages' step replaced (withSteps); the rest
// of the callback is xe's own.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { xe } from '../xe.js';
import type { XeInvalidateArgs } from '../xe/drmGpusvmNotifierInvalidate.js';

export const xeInvalidateKeepsPages: Driver = defineDriver(
  withSteps<XeInvalidateArgs>(
    xe,
    'invalidate',
    {
      // The bug: no drm_gpusvm_range_unmap_pages(): the pages stay "valid".
      unmap_pages: () => goto('event'),
    },
    {
      name: 'xe-invalidate-keeps-pages',
      summary: 'xe whose notifier callback does not unmap the pages of the ranges it invalidates',
      broken: {
        bug: "the range's pages stay valid across an invalidation, so the next fault's get_pages reuses the old dma addresses and binds pages the CPU no longer maps there",
        fix: 'drm_gpusvm.c drm_gpusvm_range_unmap_pages(): "Must be called on each GPU SVM range attached to notifier in gpusvm->ops->invalidate" (DOC: Examples, 3) Notifier callback)',
        expects: 'coherence',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU binds a range; the CPU changes a page of it (COW, MADV_DONTNEED, migration) and the notifier zaps the binding only',
          'the next GPU fault finds the pages valid, skips hmm_range_fault and binds the old pages',
        ],
      },
    },
  ),
);
