// An explorer scope by built-in name or --scope PATH: a module whose default export is a Scope.
import { defineScope } from '../api/defineScope.js';
import type { Scope } from '../explore/scope.js';
import { SCOPES, scopeByName } from '../explore/scopes.js';
import { importModule } from './importModule.js';
import { isPathSpec } from './isPathSpec.js';
import { UsageError } from './usageError.js';

export async function loadScope(spec: string): Promise<{ scope: Scope; module: string | null }> {
  if (!isPathSpec(spec)) {
    const s = scopeByName(spec);
    if (!s)
      throw new UsageError(
        `svmcheck explore: unknown scope '${spec}' (known: ${SCOPES.map((x) => x.name).join(', ')}; or give a path to a module)`,
      );
    return { scope: s, module: null };
  }
  const { path, mod } = await importModule(spec, 'scope');
  const d = mod['default'] ?? mod['scope'];
  if (!d || typeof d !== 'object')
    throw new UsageError(`scope module ${spec} does not export a scope (export default defineScope({...}))`);
  try {
    return { scope: defineScope(d as Scope), module: path };
  } catch (e) {
    throw new UsageError(`scope module ${spec}: ${(e as Error).message}`);
  }
}
