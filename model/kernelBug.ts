import type { InvariantClass } from './driver.js';

/** A BUG()/WARN() the model hits that belongs to a named invariant (e.g. a kref underflow). */
export class KernelBug extends Error {
  override name = 'KernelBug';
  constructor(
    readonly invariant: string,
    readonly cls: InvariantClass,
    message: string,
  ) {
    super(message);
  }
}
