// A driver module's export, checked when the module loads: a driver missing an entry point or a
// 'start' step fails there, with its name, not in the middle of a run.
import { DRIVER_ENTRY_POINTS, type Driver } from '../model/driver.js';

const NAME = /^[a-z0-9][a-z0-9+._-]*$/;

/** Checks a driver's shape and returns it unchanged (export it as the module's default). */
export function defineDriver<D extends Driver>(d: D): D {
  const where = `defineDriver(${JSON.stringify(d.name)})`;
  if (typeof d.name !== 'string' || !NAME.test(d.name))
    throw new Error(`${where}: the name must be lower case letters, digits and - + . _`);
  if (typeof d.summary !== 'string' || d.summary === '') throw new Error(`${where}: give a one-line summary`);
  const missing = DRIVER_ENTRY_POINTS.filter((e) => !d.procs[e]);
  if (missing.length) throw new Error(`${where}: no procedure for entry point(s) ${missing.join(', ')}`);
  for (const [key, p] of Object.entries(d.procs)) {
    if (!p.steps['start']) throw new Error(`${where}: procedure '${key}' has no 'start' step`);
    // A typed handle is called as drv:NAME: it must be registered under that name.
    const ref = (p as { ref?: unknown }).ref;
    if (typeof ref === 'string' && ref !== `drv:${key}`)
      throw new Error(
        `${where}: procedure '${p.name}' is registered as '${key}' (register it under its own name)`,
      );
  }
  return d;
}
