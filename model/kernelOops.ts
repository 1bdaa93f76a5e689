// A state the real kernel cannot survive (an oops, or a task stuck forever in D state), predicted
// by the model: thrown out of a step so that the run stops there, like the kernel's task does.
import { kernelFailure, kernelFailureTag, type KernelFailure } from './kernelFailure.js';

export class KernelOops extends Error {
  override name = 'KernelOops';
  /** What was hit, as data (report/kernelFailureWords.ts words it). */
  readonly finding: KernelFailure;
  constructor(
    readonly kind: 'oops' | 'hang',
    /** The finding; a user's driver may give a message instead. */
    found: KernelFailure | string,
  ) {
    const f = kernelFailure(found);
    super(kernelFailureTag(f));
    this.finding = f;
  }
}
