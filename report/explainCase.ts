// Builds the Explanation of an archived case by replaying it on today's model: the steps to
// reproduce, the interleaving, the state just before and after the failing step, the diagram.
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import type { DriverIdentity } from '../archive/driverIdentity.js';
import { identityChange } from '../archive/identityChange.js';
import { replayArchived } from '../archive/replayArchived.js';
import { statusProblems } from '../archive/statusProblems.js';
import { execute } from '../check/execute.js';
import type { Driver } from '../model/driver.js';
import type { Invariant } from '../properties/invariant.js';
import { agentOf } from '../model/kernel/ops.js';
import { describeConfig } from './counterexampleView.js';
import { describeEvent, describeOp } from './describe.js';
import { hashCovers } from './hashCovers.js';
import { identityChangeText } from './identityText.js';
import { kernelConfig } from './kernelConfig.js';
import type { Explanation } from './explanation.js';
import { meaningOf } from './meaning.js';
import { sequenceDiagram } from './sequenceDiagram.js';
import { stateAround } from './stateAround.js';
import { statusProblemText } from './statusProblemText.js';
import { witnessText } from './witnessText.js';

export interface ExplainInput {
  cx: CounterexampleFile;
  driver: Driver;
  /** The exact command that replays the case. */
  replay: string;
  /** The driver's identity today, hashed as the case was (its hashScheme), to compare. */
  driverToday: DriverIdentity;
  /** Where the case lives, as the commit's Link: tag names it. */
  link: string;
  /** The invariants of the case's own --invariant modules (archive: extensions). */
  invariants?: readonly Invariant[];
}

export function explainCase({
  cx,
  driver,
  replay,
  driverToday,
  link,
  invariants = [],
}: ExplainInput): Explanation {
  const p = cx.program;
  const cfg = p.config;
  const r = replayArchived(cx, driver, invariants);
  const v = r.violation;
  const trace = r.result.trace;
  const at = v ? (trace.find((t) => t.n === v.step) ?? trace[trace.length - 1]) : undefined;
  const atOp = at ? p.ops[at.op] : undefined;
  const before = v ? execute(driver, p, { maxSteps: v.step }).state : r.result.state;
  const brokenText = v ? `${v.invariant} broken here` : '';
  const change = identityChange(cx.driver, driverToday);
  return {
    title: cx.title,
    status: cx.status,
    fingerprint: cx.fingerprint,
    driver: {
      name: cx.driver.name,
      module: cx.driver.module,
      hash: cx.driver.hash,
      hashOf: cx.driver.hashOf,
      covers: hashCovers(cx.driver),
      today: change,
      todayText: identityChangeText(change),
    },
    extensions: (cx.extensions ?? []).map((e) => ({ kind: e.kind, module: e.module, hash: e.hash })),
    kernel: kernelConfig(cfg),
    found: { suite: cx.found.suite, seed: cx.found.seed, toolVersion: cx.found.toolVersion },
    invariant: {
      id: cx.violation.invariant,
      cls: cx.violation.class,
      meaning: meaningOf(cx.violation.invariant),
    },
    message: cx.violation.message,
    expected: cx.violation.expected,
    actual: cx.violation.actual,
    config: describeConfig(cfg),
    steps: p.ops.map((op, i) => ({
      n: i + 1,
      agent: agentOf(op, cfg.gpus.length),
      operation: describeOp(op, cfg),
      resolution: cx.resolutions[i] ?? 'not-reached',
    })),
    now: {
      verdict: r.verdict,
      invariant: v?.invariant ?? null,
      problems: statusProblems(cx, r).map((x) => statusProblemText(x, cx)),
    },
    trigger:
      at && atOp
        ? {
            step: at.n + 1,
            op: at.op + 1,
            agent: at.agent,
            operation: describeOp(atOp, cfg),
            kind: atOp.op,
          }
        : null,
    interleaving: trace.map((t) => {
      const op = p.ops[t.op];
      return {
        n: t.n + 1,
        agent: t.agent,
        op: t.op + 1,
        operation: op ? describeOp(op, cfg) : '',
        outcome: t.outcome === 'yield' ? 'preempted' : t.outcome,
        observed: t.events.map(describeEvent),
        broken: !!at && t.n === at.n,
        loopStart: v?.witness?.k === 'lasso' && t.n + 1 === v.witness.from,
      };
    }),
    around: at
      ? stateAround(driver, before, r.result.state, at.events)
      : { columns: [], rows: [], driver: [], other: [] },
    witness: v?.witness ? { data: v.witness, lines: witnessText(v.witness) } : null,
    replay,
    footer: {
      reportedBy: `svmcheck (case ${cx.fingerprint.slice(0, 12)})`,
      link,
    },
    diagram: sequenceDiagram(p, trace, at ? at.n : null, brokenText),
  };
}
