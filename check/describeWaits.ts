// What every blocked activity holds and waits for: the 'actual' of a deadlock report.
import type { State } from '../model/types.js';
import { waitLinks, type WaitLink } from '../model/waitFor.js';

/** One blocked activity: what it holds, what it waits for, and who holds or signals that. */
export function describeLink(l: WaitLink): string {
  const by = l.onAgents.length ? ` (${l.role} ${l.onAgents.join(', ')})` : '';
  return `${l.agent} holds [${l.holds.join(', ')}] and waits for ${l.waits}${by}`;
}

/** Who holds what and waits for what (and who holds or signals that), for a deadlock report. */
export function describeWaits(s: State): string {
  return waitLinks(s).map(describeLink).join('; ');
}
