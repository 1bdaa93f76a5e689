// --invariant PATH: a module whose default export is an invariant (or a list of them), checked
// after every step beside the built-in ones.
import { defineInvariant } from '../api/defineInvariant.js';
import { EXTRA_INVARIANTS } from '../properties/extraInvariants.js';
import type { Invariant } from '../properties/invariant.js';
import { importModule } from './importModule.js';
import { UsageError } from './usageError.js';

export async function loadInvariants(paths: readonly string[]): Promise<Invariant[]> {
  const out: Invariant[] = [];
  for (const spec of paths) {
    const { mod } = await importModule(spec, 'invariant');
    const d = mod['default'] ?? mod['invariant'];
    const list = Array.isArray(d) ? (d as unknown[]) : [d];
    for (const x of list) {
      if (!x || typeof x !== 'object')
        throw new UsageError(
          `invariant module ${spec} does not export an invariant (export default defineInvariant({...}))`,
        );
      try {
        const inv = defineInvariant(x as Invariant);
        if (out.some((i) => i.id === inv.id)) throw new Error(`invariant '${inv.id}' is given twice`);
        out.push(inv);
        if (!EXTRA_INVARIANTS.some((i) => i.id === inv.id)) EXTRA_INVARIANTS.push(inv);
      } catch (e) {
        throw new UsageError(`invariant module ${spec}: ${(e as Error).message}`);
      }
    }
  }
  return out;
}
