// A suite module's export (--suite PATH): a generator profile, checked when it loads.
import { PROFILES, type Profile } from '../generators/profiles.js';
import { OP_KINDS } from '../model/ops.js';

/**
 * Checks a suite (operation weights, program length, GPUs) and returns it. Start from a built-in
 * one: `defineSuite({ ...suite('mirror'), name: 'my-suite', weights: {...} })`.
 */
export function defineSuite(p: Profile): Profile {
  const where = `defineSuite(${JSON.stringify(p.name)})`;
  if (typeof p.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(p.name))
    throw new Error(`${where}: the name must be lower case letters, digits and -`);
  if (PROFILES.some((x) => x.name === p.name)) throw new Error(`${where}: a built-in suite has that name`);
  const unknown = Object.keys(p.weights ?? {}).filter((k) => !(OP_KINDS as readonly string[]).includes(k));
  if (unknown.length)
    throw new Error(`${where}: unknown operation(s) ${unknown.join(', ')} (known: ${OP_KINDS.join(', ')})`);
  const missing = OP_KINDS.filter((k) => typeof p.weights?.[k] !== 'number' || p.weights[k] < 0);
  if (missing.length) throw new Error(`${where}: weights needs a number >= 0 for ${missing.join(', ')}`);
  if (!Number.isInteger(p.maxOps) || p.maxOps < 1 || p.maxOps > 64)
    throw new Error(`${where}: maxOps must be 1..64`);
  if (!Number.isInteger(p.maxGpus) || p.maxGpus < 1 || p.maxGpus > 4)
    throw new Error(`${where}: maxGpus must be 1..4`);
  return p;
}
