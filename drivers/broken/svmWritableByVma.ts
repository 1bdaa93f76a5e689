import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

export const svmWritableByVma: Driver = {
  ...makeSvmDriver(
    'svm-writable-by-vma',
    'svm_range driver that maps GPU PTEs writable whenever the VMA is writable',
    { writableByVma: true },
  ),
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
};
