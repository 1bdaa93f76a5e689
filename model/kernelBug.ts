import type { InvariantClass } from './driver.js';
import { kernelFailure, kernelFailureTag, type KernelFailure } from './kernelFailure.js';

/** A BUG()/WARN() the model hits that belongs to a named invariant (e.g. a kref underflow). */
export class KernelBug extends Error {
  override name = 'KernelBug';
  /** What was hit, as data (report/kernelFailureWords.ts words it). */
  readonly finding: KernelFailure;
  constructor(
    readonly invariant: string,
    readonly cls: InvariantClass,
    /** The finding; a user's driver may give a message instead. */
    found: KernelFailure | string,
  ) {
    const f = kernelFailure(found);
    super(kernelFailureTag(f));
    this.finding = f;
  }
}
