// A kernel-patch module's export (--kernel-patch PATH), checked when it loads.
import { coreProc } from '../model/engine.js';
import type { KernelPatch } from '../model/kernelPatch.js';

/** Checks that every procedure of the patch replaces a core procedure the model has, and returns it. */
export function defineKernelPatch(patch: KernelPatch): KernelPatch {
  const where = `defineKernelPatch(${JSON.stringify(patch.name)})`;
  if (typeof patch.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(patch.name))
    throw new Error(`${where}: the name must be lower case letters, digits and - . _`);
  if (typeof patch.summary !== 'string' || patch.summary === '')
    throw new Error(`${where}: give a one-line summary`);
  if (!patch.procs?.length) throw new Error(`${where}: no procedures`);
  for (const p of patch.procs) {
    if (!coreProc(p.name)) throw new Error(`${where}: '${p.name}' is not a core procedure of the model`);
    if (!p.steps['start']) throw new Error(`${where}: '${p.name}' has no 'start' step`);
  }
  return patch;
}
