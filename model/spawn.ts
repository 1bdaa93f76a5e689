// A new activity: an operation's, or kernel work spawned by one (a kworker, a GPU job). Its own
// module, so kernel procedures that spawn work need not import the engine that runs them.
import type { Activity, State } from './types.js';

export function spawn(
  s: State,
  agent: string,
  op: number,
  fn: string,
  args: Record<string, unknown>,
): Activity {
  const a: Activity = {
    id: s.nextAct++,
    agent,
    op,
    frames: [{ fn, pc: 'start', l: args, r: undefined }],
    wait: null,
    held: [],
    spin: false,
    cpu: -1,
    bound: -1,
  };
  s.acts.push(a);
  return a;
}
