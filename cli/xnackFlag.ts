// --xnack: whether the GPUs retry page faults (Config.xnack), checked at the boundary: one clear line
// and exit 2 for a value other than on/off, or for a driver that does not model XNACK off.
import type { Driver } from '../model/driver.js';
import { UsageError } from './usageError.js';

export function xnackFlag(cmd: string, value: unknown, driver: Driver): 'on' | 'off' | undefined {
  if (value === undefined) return undefined;
  const v = String(value);
  if (v !== 'on' && v !== 'off')
    throw new UsageError(`svmcheck ${cmd}: --xnack must be on or off, got '${v}'`);
  if (v === 'off' && !driver.xnack)
    throw new UsageError(
      `svmcheck ${cmd}: driver '${driver.name}' models recoverable GPU faults only (XNACK on): --xnack off needs a driver that follows it (kfd)`,
    );
  return v;
}
