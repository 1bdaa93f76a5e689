// The Linux releases whose core mm the model can follow (a configuration: Config.kernel), and
// against two of which (6.1, 6.12: Debian's linux-source packages) conformance runs lib/test_hmm.c.
// The rules that differ between them live in kernelRules.ts, each with its version range and source.
import type { Config } from './config.js';

export const KERNEL_VERSIONS = ['6.1', '6.12', '6.15', '7.0'] as const;
export type KernelVersion = (typeof KERNEL_VERSIONS)[number];

/**
 * What the model follows unless told otherwise (run, suites, explore, soak, compare): 7.0, today's
 * mainline. Conformance has its own default, the newest
 * release installable here (conformance/kernelVersions.ts); a case replays on the release it was
 * found on.
 */
export const DEFAULT_KERNEL: KernelVersion = '7.0';

/**
 * A configuration without `kernel` was written before the field existed, when the model followed
 * 6.1 only: an archived case of then replays on 6.1 (archive upgrade writes the field).
 */
export const LEGACY_KERNEL: KernelVersion = '6.1';

export function isKernelVersion(v: string): v is KernelVersion {
  return (KERNEL_VERSIONS as readonly string[]).includes(v);
}

export function kernelOf(c: Pick<Config, 'kernel'>): KernelVersion {
  return c.kernel ?? LEGACY_KERNEL;
}
