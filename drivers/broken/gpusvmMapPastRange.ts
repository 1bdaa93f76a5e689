import type { Driver } from '../../model/driver.js';
import { makeGpusvmDriver } from '../gpusvm/makeGpusvmDriver.js';

export const gpusvmMapPastRange: Driver = {
  ...makeGpusvmDriver('gpusvm-map-past-range', 'gpusvm whose bind reaches one page past the range', {
    mapPastRange: true,
  }),
  broken: {
    bug: 'the GPU binding covers a page outside the range, which no get_pages validated and no notifier of the range covers',
    fix: 'drm/gpusvm: fix hmm_pfn_to_map_order() usage',
    expects: 'coherence',
    layer: 'hmm-mirror',
    scenario: [
      'a GPU fault binds a chunk-sized range',
      'the bind uses a mapping order that reaches past the range end, mapping a neighbour VA to the wrong page',
    ],
  },
};
