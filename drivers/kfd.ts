import type { Driver } from '../model/driver.js';
import { makeKfdDriver } from './kfd/makeKfdDriver.js';

/** amdkfd's SVM as it ships (kfd_svm.c, kfd_migrate.c), XNACK on or off by the configuration. */
export const kfd: Driver = makeKfdDriver(
  'kfd',
  'amdkfd svm_range as it ships (kfd_svm.c): XNACK off evicts the queues and restores them from restore_work, XNACK on unmaps on every invalidation and retries faults; teardown by svm_range_list_fini',
);
