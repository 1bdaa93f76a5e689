// --kernel-patch PATH: a module whose default export is a KernelPatch (core procedures replaced).
import { defineKernelPatch } from '../api/defineKernelPatch.js';
import type { KernelPatch } from '../model/kernelPatch.js';
import { importModule } from './importModule.js';
import { UsageError } from './usageError.js';

export async function loadKernelPatch(spec: string): Promise<{ patch: KernelPatch; module: string }> {
  const { path, mod } = await importModule(spec, 'kernel patch');
  const d = mod['default'] ?? mod['patch'];
  if (!d || typeof d !== 'object')
    throw new UsageError(
      `kernel patch module ${spec} does not export a patch (export default defineKernelPatch({...}))`,
    );
  try {
    return { patch: defineKernelPatch(d as KernelPatch), module: path };
  } catch (e) {
    throw new UsageError(`kernel patch module ${spec}: ${(e as Error).message}`);
  }
}
