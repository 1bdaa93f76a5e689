// A path the model does not cover: the run's verdict is unknown (check/stepFailure.ts), never a
// finding and never a pass. Thrown where the model would otherwise have to guess what the kernel
// does (THPs beyond what thp.ts models; a release's rule that kernelRules.ts marks not modelled).
export class NotModelled extends Error {
  override name = 'NotModelled';
}
