// Expected, actual and message of a failure the runner detects (check/Judge.ts deadlock,
// check/potentialDeadlock.ts, check/livelock.ts), from the evidence it carries: the wait-for cycle,
// the lock-class cycle, the lasso and the CPUs kept.
import { match } from 'ts-pattern';
import type { Problem, Words } from '../properties/invariant.js';
import { describeLink } from './describeLink.js';

type RunFailure = Extract<Problem, { kind: 'deadlock' | 'potential-deadlock' | 'livelock' | 'lockup' }>;

export function runFailureWords(p: RunFailure): Words {
  return match(p)
    .with({ kind: 'deadlock' }, ({ witness: { cycle, blocked } }) => {
      const some = cycle.length > 0;
      return {
        expected: 'some activity can run',
        actual: some
          ? `${cycle.map(describeLink).join('; ')}; and round again`
          : blocked.map(describeLink).join('; '),
        message: some
          ? `deadlock: ${cycle.map((l) => l.agent).join(' -> ')} -> ${cycle[0]?.agent ?? ''} wait on each other`
          : 'deadlock: every remaining activity is blocked',
      };
    })
    .with({ kind: 'potential-deadlock' }, ({ witness: { cycle } }) => {
      const added = cycle[0];
      if (added && cycle.length === 1)
        return {
          expected: 'no lock taken again by a task that holds it',
          actual: `${added.agent} takes ${added.toName} for read while holding it for read`,
          message: `possible recursive locking detected: ${added.toName} (rw_semaphore readers do not nest: a queued writer deadlocks them)`,
        };
      const chain = [...cycle.map((c) => c.from), added?.from ?? ''].join(' -> ');
      return {
        expected: 'no cycle in the lock-class dependency graph',
        actual: chain,
        message: `possible circular locking dependency: ${chain}, found before this run deadlocked`,
      };
    })
    .with({ kind: 'livelock' }, ({ witness: { from, to }, waits }) => {
      const w = waits.map(describeLink).join('; ');
      return {
        expected: 'every pending operation completes under a fair schedule',
        actual: `steps ${from}..${to} return to the state before step ${from} and repeat forever, every runnable activity running in them${w ? `; ${w}` : ''}`,
        message: `livelock: a fair schedule repeats steps ${from}..${to} forever without finishing`,
      };
    })
    .with({ kind: 'lockup' }, ({ witness: { from, to, cpus: cycle }, preempt, cpus }) => {
      const model = `PREEMPT_${preempt.toUpperCase()}`;
      const waits = cycle.map(
        (l) =>
          `${l.agent} waits for ${l.waits}${l.onAgents.length ? ` (kept by ${l.onAgents.join(', ')})` : ''}`,
      );
      return {
        expected: 'every runnable task gets a CPU',
        actual: `steps ${from}..${to} repeat forever: ${waits.join('; ')}`,
        message: `soft lockup (${model}, ${cpus} CPUs): ${cycle.map((l) => l.agent).join(', ')} never get their CPU back`,
      };
    })
    .exhaustive();
}
