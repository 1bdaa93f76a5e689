// One blocked activity in words: what it holds, what it waits for, and who holds or signals that
// (a deadlock's or livelock's wait-for links, a lockup's CPUs).
import type { WaitLink } from '../model/waitFor.js';

export function describeLink(l: WaitLink): string {
  const by = l.onAgents.length ? ` (${l.role} ${l.onAgents.join(', ')})` : '';
  return `${l.agent} holds [${l.holds.join(', ')}] and waits for ${l.waits}${by}`;
}
