import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

export const boReuseReferencedPage: Driver = {
  ...makeSvmDriver(
    'bo-reuse-referenced-page',
    'reference svm_range driver with one VRAM BO refcounting bug: reuseReferencedPages',
    { reuseReferencedPages: true },
  ),
  broken: {
    bug: 'VRAM of a freed or evicted BO is handed to a new BO while a device page in it is still referenced (do_swap_page has not dropped its reference yet); the page is re-initialised under the old holder',
    fix: 'drm/amdkfd: Fix svm_bo and vram page refcount (2025): a device page is reused only after it is really freed',
    expects: 'refcount',
    layer: 'vram-bo',
    scenario: [
      'a CPU fault holds a VRAM page (do_swap_page) while its data leaves and its BO gives the VRAM back',
      'a new migration re-initialises that page while the old reference is still held',
    ],
  },
};
