// The driver an archived case names. An archive file is data: reading one never runs code. A
// built-in is looked up by name (never loaded as a path, whatever the name says); a module is
// loaded only when the user names it (`--driver PATH`) or, if the command allows it, when the
// module (symlinks and `..` resolved) lies inside the project that holds the archive file.
import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import { builtinDriver, BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { loadDriver, type LoadedDriver } from './loadDriver.js';
import { moduleRefusal } from './moduleRefusal.js';
import { UsageError } from './usageError.js';

export interface CaseDriverPolicy {
  /** The driver the user named with --driver, used for the cases that name a driver of that name. */
  named: LoadedDriver | null;
  /** Whether a module inside the archive's project may be loaded without being named (replay). */
  projectModules: boolean;
}

export async function caseDriver(
  file: string,
  cx: CounterexampleFile,
  policy: CaseDriverPolicy = { named: null, projectModules: true },
): Promise<LoadedDriver> {
  const { named } = policy;
  if (named && named.driver.name === cx.driver.name) return named;
  const mod = cx.driver.module;
  if (mod === null) {
    const builtin = builtinDriver(cx.driver.name);
    if (builtin) return { driver: builtin, module: null };
    throw new UsageError(
      `${file}: field driver.name: unknown driver '${cx.driver.name}' (built-in: ${BUILTIN_DRIVERS.map((d) => d.name).join(', ')}${named ? `; --driver names '${named.driver.name}'` : ''})`,
    );
  }
  const path = resolve(dirname(file), mod);
  const why = refusal(file, path, policy);
  if (why) throw new UsageError(`${file}: field driver.module: ${path} not loaded: ${why}`);
  let loaded: LoadedDriver;
  try {
    loaded = await loadDriver(realpathSync(path));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    throw new UsageError(`${file}: field driver.module: ${e.message}`);
  }
  if (loaded.driver.name !== cx.driver.name)
    throw new UsageError(
      `${file}: field driver.module: the module exports driver '${loaded.driver.name}', not '${cx.driver.name}'`,
    );
  return loaded;
}

/** Why the module at `path` must not be imported, or null when it may be. */
function refusal(file: string, path: string, policy: CaseDriverPolicy): string | null {
  return moduleRefusal(file, path, policy.projectModules, 'name it with --driver PATH to run it');
}
