// A GPU fault policy to compare on a workload (svmcheck compare): a correct driver, and what the
// application does with the SVM uAPI under it. Seed 000's options are kfd's migration granularity
// (KFD_IOCTL_SVM_ATTR_GRANULARITY: the window around a fault, clipped to the range), a preferred
// location of system memory (faults map system pages, nothing migrates), a prefetch before each
// GPU phase, and drm_gpusvm's chunk sizes.
import type { Driver } from '../../model/driver.js';
import type { Attr } from '../../model/uapi.js';

export interface CostPolicy {
  readonly name: string;
  readonly summary: string;
  readonly driver: Driver;
  /**
   * The set_attr attributes every VMA is registered with, so that each VMA is one svm_range and a
   * fault's window is clipped to it; null for a driver without the KFD uAPI (gpusvm).
   */
  readonly register: readonly Attr[] | null;
  /** Before each GPU phase, migrate the pages it will touch to its GPU (KFD prefetch / migrate). */
  readonly prefetch: boolean;
  /** The application's preferred-location hints reach the driver (false: the policy's own stand). */
  readonly hints: boolean;
}
