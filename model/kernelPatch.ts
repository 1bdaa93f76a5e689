// A proposed core-mm change, run in place of the kernel code the model has: replacement
// procedures for named core procedures (hmm_range_fault, migrate_vma_setup, handle_mm_fault, ...),
// so a driver can be checked against an mm patch before it is merged.
import type { Proc } from './proc.js';

export interface KernelPatch {
  /** A short name, shown beside the driver's in reports and replay lines. */
  name: string;
  /** One line: the change, as a patch's subject would say it. */
  summary: string;
  /** Each replaces the core procedure of the same name. */
  procs: readonly Proc[];
}
