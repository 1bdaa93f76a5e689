// The data a counterexample report is rendered from: numbered operations and the interleaving,
// each step with who ran, which operation it belongs to and what it observed.
import type { Counterexample } from '../check/checkDriver.js';
import type { Config } from '../model/types.js';
import { describeEvent, describeOp } from './describe.js';

export interface StepView {
  n: number;
  agent: string;
  op: number;
  operation: string;
  observed: string[];
  outcome: string;
}

export interface CounterexampleView {
  config: string;
  operations: Array<{ n: number; agent: string; operation: string }>;
  steps: StepView[];
}

export function describeConfig(c: Config): string {
  const gpus = c.gpus.map(
    (g, i) => `gpu${i}: ${g.mem} ${g.vram} VRAM page${g.vram > 1 ? 's' : ''}, hive ${g.hive}`,
  );
  return `${c.vaPages} VA pages, ${c.sysPages - 1} system pages; ${gpus.join('; ')}`;
}

export function counterexampleView(cx: Counterexample): CounterexampleView {
  const cfg = cx.program.config;
  const agentOf = (i: number): string => cx.trace.find((t) => t.op === i)?.agent ?? '-';
  return {
    config: describeConfig(cfg),
    operations: cx.program.ops.map((op, i) => ({
      n: i + 1,
      agent: agentOf(i),
      operation: describeOp(op, cfg),
    })),
    steps: cx.trace.map((t) => {
      const op = cx.program.ops[t.op];
      return {
        n: t.n + 1,
        agent: t.agent,
        op: t.op + 1,
        operation: op ? describeOp(op, cfg) : '',
        observed: t.events.map(describeEvent),
        outcome: t.outcome === 'yield' ? 'preempted' : t.outcome,
      };
    }),
  };
}
