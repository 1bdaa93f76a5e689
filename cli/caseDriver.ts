// The driver an archived case names: a built-in by name, or a module by a path relative to the file.
import { dirname, resolve } from 'node:path';
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import { loadDriver, type LoadedDriver } from './loadDriver.js';
import { UsageError } from './usageError.js';

export async function caseDriver(file: string, cx: CounterexampleFile): Promise<LoadedDriver> {
  const mod = cx.driver.module;
  const field = mod === null ? 'driver.name' : 'driver.module';
  let loaded: LoadedDriver;
  try {
    loaded = await loadDriver(mod === null ? cx.driver.name : resolve(dirname(file), mod));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    throw new UsageError(`${file}: field ${field}: ${e.message}`);
  }
  if (loaded.driver.name !== cx.driver.name)
    throw new UsageError(
      `${file}: field driver.name: the module exports driver '${loaded.driver.name}', not '${cx.driver.name}'`,
    );
  return loaded;
}
