// What the explorer checks, kept apart from the model (TLA+'s model vs. configuration split): the
// scale of the machine, how many CPU threads issue operations, which migrate_vma failures it
// injects and how deep it goes by default.
import type { OpKind } from '../model/ops.js';
import type { Config } from '../model/types.js';

export interface Scope {
  name: string;
  summary: string;
  config: Config;
  /** CPU threads issuing operations (agents cpu0, cpu1, ...); every GPU is an agent of its own. */
  threads: number;
  /**
   * Failures injected per migrate_vma call: for pages 0..faultPages-1 of the range, page busy in
   * migrate_vma_setup (trylock_page fails) or failed by migrate_vma_pages (unexpected reference).
   */
  faultPages: number;
  /**
   * Most failures injected within one scheduler step. A bound keeps every step finite: an
   * adversary failing every retry inside one atomic step models a page lock that is never
   * released, which a program's finite fault stream cannot produce either.
   */
  faultsPerStep: number;
  /** The operation kinds the explorer starts (all of them when absent), in OP_KINDS order. */
  kinds?: readonly OpKind[];
  /** Default depth: scheduler steps from the initial state. */
  depth: number;
  /** The attribute sets svm_set_attr tries (default: one of each location and access change). */
  attrs?: ReadonlyArray<ReadonlyArray<{ t: string; v: number }>>;
}
