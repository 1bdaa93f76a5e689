import type { Driver } from '../model/driver.js';
import { makeSvmDriver } from './svm/makeSvmDriver.js';

/** The reference driver: amdkfd's svm_range manager with mixed mappings (seed 004). */
export const reference: Driver = makeSvmDriver(
  'reference',
  'amdkfd svm_range manager (kfd_svm.c) with mixed mappings: attributes, transactional set_attr, fault-driven partial migration per granularity window, deferred unmap with retry-fault drain',
);
