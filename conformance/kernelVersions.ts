// The releases conformance can build and boot: those with a Debian linux-source package installable
// here (conformance/kernel/build-kernel.sh). Nothing newer than 6.12 is, so 6.15 and 7.0 are
// model configurations only.
import type { KernelVersion } from '../model/kernelVersion.js';

export const CONFORMANCE_KERNELS = ['6.1', '6.12'] as const satisfies readonly KernelVersion[];
export type ConformanceKernel = (typeof CONFORMANCE_KERNELS)[number];

/** The newest installable one. */
export const DEFAULT_CONFORMANCE_KERNEL: ConformanceKernel = '6.12';

/** The release a kernel version string names ("6.1.192" -> 6.1, "6.12.118" -> 6.12). */
export function releaseKernel(release: string): ConformanceKernel {
  const k = CONFORMANCE_KERNELS.find((v) => release === v || release.startsWith(`${v}.`));
  if (!k) throw new Error(`not a kernel release conformance builds: '${release}'`);
  return k;
}
