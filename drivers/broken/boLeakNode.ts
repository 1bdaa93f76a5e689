import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

export const boLeakNode: Driver = {
  ...makeSvmDriver(
    'bo-leak-node',
    'reference svm_range driver with one VRAM BO refcounting bug: leakNodeRef',
    { leakNodeRef: true },
  ),
  broken: {
    bug: "when a range's last VRAM page leaves, the node pointer is cleared but its BO reference is never dropped",
    fix: 'kfd_migrate.c svm_migrate_vram_to_ram: svm_range_vram_node_free(prange) when vram_pages reaches 0',
    expects: 'refcount',
    layer: 'vram-bo',
    scenario: [
      "a range's last VRAM page migrates back to system memory",
      'the node pointer is cleared without dropping its BO reference: the BO outlives the process',
    ],
  },
};
