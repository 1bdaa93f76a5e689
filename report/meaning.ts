import { INVARIANTS, RUN_FAILURES } from '../properties/catalog.js';
import { EXTRA_INVARIANTS } from '../properties/extraInvariants.js';

/** The one-sentence meaning of an invariant or run failure, by id. */
export function meaningOf(id: string): string {
  const inv = INVARIANTS.find((i) => i.id === id) ?? EXTRA_INVARIANTS.find((i) => i.id === id);
  if (inv) return inv.meaning;
  return (RUN_FAILURES as Record<string, { meaning: string }>)[id]?.meaning ?? '';
}
