// --kernel: the Linux release whose core-mm rules the model follows (model/kernelRules.ts), checked
// at the boundary: one clear line and exit 2 for a release the model does not know, or (conformance)
// one with no installable source here.
import { isKernelVersion, KERNEL_VERSIONS, type KernelVersion } from '../model/kernelVersion.js';
import { UsageError } from './usageError.js';

export function kernelFlag<K extends KernelVersion = KernelVersion>(
  cmd: string,
  value: unknown,
  allowed: readonly K[] = KERNEL_VERSIONS as readonly KernelVersion[] as readonly K[],
): K | undefined {
  if (value === undefined) return undefined;
  const v = String(value);
  const k = isKernelVersion(v) ? allowed.find((x) => x === v) : undefined;
  if (k === undefined)
    throw new UsageError(`svmcheck ${cmd}: --kernel must be one of ${allowed.join(', ')}, got '${v}'`);
  return k;
}
