// What every activity holds and waits for: the 'actual' of a deadlock report.
import type { State } from '../model/types.js';

/** Who holds what and waits for what, for a deadlock report. */
export function describeWaits(s: State): string {
  return s.acts
    .map((a) => {
      const w = a.wait;
      const on = !w ? 'runnable' : w.k === 'notifier' ? `waits for notifier ${w.id}` : `waits for ${w.name}`;
      const holder = w && w.k !== 'notifier' ? s.locks[w.name] : undefined;
      const by = holder
        ? ` (held by ${[holder.w, ...holder.r]
            .filter((x) => x >= 0)
            .map((id) => s.acts.find((b) => b.id === id)?.agent ?? `#${id}`)
            .join(', ')})`
        : '';
      return `${a.agent} holds [${a.held.join(', ')}] and ${on}${by}`;
    })
    .join('; ');
}
