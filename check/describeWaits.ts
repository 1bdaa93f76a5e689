// What every blocked activity holds and waits for: the 'actual' of a deadlock report.
import type { State } from '../model/types.js';
import { waitLinks } from '../model/waitFor.js';

/** Who holds what and waits for what (and who holds or signals that), for a deadlock report. */
export function describeWaits(s: State): string {
  return waitLinks(s)
    .map((l) => {
      const by = l.onAgents.length ? ` (${l.role} ${l.onAgents.join(', ')})` : '';
      return `${l.agent} holds [${l.holds.join(', ')}] and waits for ${l.waits}${by}`;
    })
    .join('; ');
}
