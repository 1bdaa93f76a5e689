// An invariant module's export (--invariant PATH), checked when it loads.
import type { InvariantClass } from '../model/driver.js';
import type { Invariant } from '../properties/invariant.js';
import { INVARIANTS } from '../properties/catalog.js';

// Every class, checked by the compiler: a class added to InvariantClass must be added here.
const CLASS_SET: Record<InvariantClass, true> = {
  coherence: true,
  'memory-safety': true,
  range: true,
  refcount: true,
  progress: true,
  deadlock: true,
  fence: true,
  access: true,
  teardown: true,
};
const CLASSES: readonly string[] = Object.keys(CLASS_SET);

/**
 * Checks an invariant and returns it: a kebab-case id no built-in invariant has, a class, a
 * meaning, and check(state, events, driver) returning null when it holds or a Finding
 * {expected, actual, message} when it does not. Without `reads`/`events` it runs after every step.
 */
export function defineInvariant(inv: Invariant): Invariant {
  const where = `defineInvariant(${JSON.stringify(inv.id)})`;
  if (typeof inv.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(inv.id))
    throw new Error(`${where}: the id must be lower case letters, digits and -`);
  if (INVARIANTS.some((i) => i.id === inv.id)) throw new Error(`${where}: a built-in invariant has that id`);
  if (!CLASSES.includes(inv.cls)) throw new Error(`${where}: cls must be one of ${CLASSES.join(', ')}`);
  if (typeof inv.meaning !== 'string' || inv.meaning === '') throw new Error(`${where}: give its meaning`);
  if (typeof inv.check !== 'function') throw new Error(`${where}: check(state, events, driver) is missing`);
  return inv;
}
