// The reference svm_range driver mapping GPU PTEs writable whenever the VMA is: its validate_and_map
// 'map' step maps the window (svmMapOnGpus) ignoring each pfn's HMM_PFN_WRITE.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { reference } from '../reference.js';
import { svmMapOnGpus, type SvmMapLocals } from '../svm/svmMap.js';

export const svmWritableByVma: Driver = defineDriver(
  withSteps<SvmMapLocals>(
    reference,
    'validate_and_map',
    {
      map(env, l) {
        // The bug: writable whenever the VMA is, whatever the pfn's HMM_PFN_WRITE says.
        svmMapOnGpus(env, l, false, () => true);
        return goto('next');
      },
    },
    {
      name: 'svm-writable-by-vma',
      summary: 'svm_range driver that maps GPU PTEs writable whenever the VMA is writable',
      broken: {
        bug: "after fork the page is COW-shared and read-only for the CPU, but the GPU maps it writable and writes into the child's copy",
        fix: "map with the pfn's HMM_PFN_WRITE, not the VMA flags (kfd svm_range_map_to_gpu derives readonly from vm_flags)",
        expects: 'coherence',
        layer: 'fork-cow',
        scenario: [
          'a range is mapped on the GPU; the process forks, making its pages COW-shared',
          'a GPU write through a PTE made writable from the VMA flags lands in the page the child still reads',
        ],
      },
    },
  ),
);
