// A state the real kernel cannot survive (an oops, or a task stuck forever in D state), predicted
// by the model: thrown out of a step so that the run stops there, like the kernel's task does.
export class KernelOops extends Error {
  override name = 'KernelOops';
  constructor(
    readonly kind: 'oops' | 'hang',
    message: string,
  ) {
    super(message);
  }
}
