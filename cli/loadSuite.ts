// A suite by built-in name or --suite PATH: a module whose default export is a generator profile.
import { defineSuite } from '../api/defineSuite.js';
import { PROFILES, profileByName, type Profile } from '../generators/profiles.js';
import { importModule } from './importModule.js';
import { isPathSpec } from './isPathSpec.js';
import { UsageError } from './usageError.js';

export async function loadSuite(
  cmd: string,
  spec: string,
): Promise<{ profile: Profile; module: string | null }> {
  if (!isPathSpec(spec)) {
    const p = profileByName(spec);
    if (!p)
      throw new UsageError(
        `svmcheck ${cmd}: unknown suite '${spec}' (known: ${PROFILES.map((x) => x.name).join(', ')}; or give a path to a module)`,
      );
    return { profile: p, module: null };
  }
  const { path, mod } = await importModule(spec, 'suite');
  const d = mod['default'] ?? mod['suite'];
  if (!d || typeof d !== 'object')
    throw new UsageError(`suite module ${spec} does not export a suite (export default defineSuite({...}))`);
  try {
    return { profile: defineSuite(d as Profile), module: path };
  } catch (e) {
    throw new UsageError(`suite module ${spec}: ${(e as Error).message}`);
  }
}
