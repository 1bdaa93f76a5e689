// The invariants of the user's own modules (--invariant PATH) this process loaded, so that what
// reports say about a violation of one (its meaning) comes from the module, as for a built-in.
import type { Invariant } from './invariant.js';

export const EXTRA_INVARIANTS: Invariant[] = [];
