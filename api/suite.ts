// A built-in suite by name, to start a suite of one's own from.
import { PROFILES, profileByName, type Profile } from '../generators/profiles.js';

/** The built-in suite `name` (mirror, migration, fork, multi-gpu, ranges, fences, default). */
export function suite(name: string): Profile {
  const p = profileByName(name);
  if (!p)
    throw new Error(
      `suite(${JSON.stringify(name)}): no such suite (${PROFILES.map((x) => x.name).join(', ')})`,
    );
  return p;
}
