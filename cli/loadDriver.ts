// A driver by built-in name, or a user's module by path (exporting `default` or `driver`).
import { builtinDriver, BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { DRIVER_ENTRY_POINTS, type Driver } from '../model/driver.js';
import { guardDriver, type Heartbeat } from './guardDriver.js';
import { importModule } from './importModule.js';
import { UsageError } from './usageError.js';

function isDriver(x: unknown): x is Driver {
  if (!x || typeof x !== 'object') return false;
  const d = x as Partial<Driver>;
  return (
    typeof d.name === 'string' &&
    typeof d.init === 'function' &&
    typeof d.pgmapOwner === 'function' &&
    !!d.procs &&
    DRIVER_ENTRY_POINTS.every((e) => typeof d.procs?.[e]?.steps === 'object')
  );
}

export interface LoadedDriver {
  driver: Driver;
  /** Absolute path of the module a driver given by path came from; null for a built-in. */
  module: string | null;
  /** The driver as loaded, when `driver` is it with a --kernel-patch applied: its identity is the base's. */
  base?: Driver;
}

/** A module's driver is guarded (cli/guardDriver.ts): its crashes are its own; `beat` feeds a step watchdog. */
export async function loadDriver(spec: string, beat: Heartbeat | null = null): Promise<LoadedDriver> {
  const builtin = builtinDriver(spec);
  if (builtin) return { driver: builtin, module: null };
  const looksLikePath = spec.includes('/') || spec.includes('\\') || /\.[mc]?[jt]s$/.test(spec);
  if (!looksLikePath)
    throw new UsageError(
      `unknown driver '${spec}' (built-in: ${BUILTIN_DRIVERS.map((d) => d.name).join(', ')}; or give a path to a module)`,
    );
  const { path, mod } = await importModule(spec, 'driver');
  const d = mod['default'] ?? mod['driver'];
  if (!isDriver(d))
    throw new UsageError(
      `driver module ${spec} does not export a driver (export default or 'driver': {name, init, pgmapOwner, procs: {${DRIVER_ENTRY_POINTS.join(', ')}}})`,
    );
  return { driver: guardDriver(d, beat), module: path };
}
