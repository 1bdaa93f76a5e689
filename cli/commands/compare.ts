// svmcheck compare: GPU fault policies on one workload, costs counted by the model with every
// invariant on (check/comparePolicies.ts); a table of medians and 90th percentiles, or JSON, and
// an SVG chart with --svg. Same seed, same output, byte for byte. A run that breaks an invariant
// (or that the model cannot judge) stops the comparison: the finding is printed, exit 1.
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { comparePolicies } from '../../check/comparePolicies.js';
import { COST_POLICIES, costPolicy, DEFAULT_COST_POLICIES } from '../../drivers/costPolicies/costPolicies.js';
import type { CostPolicy } from '../../drivers/costPolicies/costPolicy.js';
import { workload, WORKLOADS } from '../../generators/workloads/workloads.js';
import { costJson } from '../../report/costJson.js';
import { costStopText } from '../../report/costStopText.js';
import { costSvg } from '../../report/costSvg.js';
import { costTable } from '../../report/costTable.js';
import type { Io } from '../io.js';
import { intFlag, parseArgs } from '../parseArgs.js';
import { randomSeed } from '../runOptions.js';
import { UsageError } from '../usageError.js';
import { kernelFlag } from '../kernelFlag.js';
import { DEFAULT_KERNEL } from '../../model/kernelVersion.js';

function policiesFlag(v: string | number | boolean | undefined): CostPolicy[] {
  const names = typeof v === 'string' ? v.split(',') : DEFAULT_COST_POLICIES.map((p) => p.name);
  const out: CostPolicy[] = [];
  for (const n of names) {
    const p = costPolicy(n);
    if (!p)
      throw new UsageError(
        `svmcheck compare: --policies '${n}' is not a policy (${COST_POLICIES.map((x) => x.name).join(', ')})`,
      );
    if (out.includes(p)) throw new UsageError(`svmcheck compare: --policies names '${n}' twice`);
    out.push(p);
  }
  return out;
}

/** Refuses an --svg FILE whose directory cannot take it before the runs, not after them. */
function checkSvgPath(file: string): void {
  const dir = dirname(resolve(file));
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UsageError(
      `svmcheck compare: --svg ${file}: ${(e as NodeJS.ErrnoException).code ?? 'not writable'} (directory ${dir})`,
    );
  }
}

function writeSvg(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UsageError(
      `svmcheck compare: --svg ${file}: ${(e as NodeJS.ErrnoException).code ?? 'write failed'}`,
    );
  }
}

export async function compareCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('compare', argv);
  if (p.positional.length) throw new UsageError(`svmcheck compare: unexpected argument '${p.positional[0]}'`);
  const wName = p.flags['workload'];
  if (typeof wName !== 'string')
    throw new UsageError(
      `svmcheck compare: --workload is required (${WORKLOADS.map((w) => w.name).join(', ')})`,
    );
  const w = workload(wName);
  if (!w)
    throw new UsageError(
      `svmcheck compare: --workload '${wName}' is not a workload (${WORKLOADS.map((x) => x.name).join(', ')})`,
    );
  const policies = policiesFlag(p.flags['policies']);
  const runs = intFlag('compare', p, 'runs');
  const seed = intFlag('compare', p, 'seed', randomSeed());
  const kernel = kernelFlag('compare', p.flags['kernel']) ?? DEFAULT_KERNEL;
  const svg = p.flags['svg'];
  if (typeof svg === 'string') checkSvgPath(svg);
  const header = { workload: w.name, workloadSummary: w.summary, runs, seed, kernel };
  const c = comparePolicies({
    workload: w,
    policies,
    runs,
    seed,
    kernel,
    onRun: (policy, run) => io.tty?.(`\r${policy} run ${run + 1}/${runs}\u001b[K`),
  });
  io.tty?.('\r\u001b[K');
  if (p.flags['json']) io.out(costJson(header, c));
  if (c.k === 'stopped') {
    if (!p.flags['json']) io.out(costStopText(w.name, c));
    return 1;
  }
  if (!p.flags['json']) io.out(costTable(header, c));
  if (typeof svg === 'string') writeSvg(svg, costSvg(header, c));
  return 0;
}
