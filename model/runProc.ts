// Runs one procedure on its own until it returns, for sequential callers (the conformance executor,
// scenario tests): no other activity runs, so a wait that is not already satisfied is a deadlock.
import { canRun, spawn, stepActivity } from './engine.js';
import type { Env } from './proc.js';

export function runProc(
  env: Env,
  fn: string,
  args: Record<string, unknown>,
  agent = 'cpu0',
  maxSteps = 1_000_000,
): unknown {
  const root: { fn: string; args: Record<string, unknown>; result: unknown } = {
    fn,
    args,
    result: undefined,
  };
  const a = spawn(env.s, agent, -1, 'run_proc', root);
  for (let n = 0; n < maxSteps; n++) {
    if (!canRun(env.s, a)) {
      env.s.acts = env.s.acts.filter((x) => x !== a);
      throw new Error(`${fn}: blocked on ${JSON.stringify(a.wait)} with nothing else to run`);
    }
    env.step++;
    if (stepActivity(env, a) === 'done') return root.result;
  }
  throw new Error(`${fn}: did not return within ${maxSteps} steps`);
}
