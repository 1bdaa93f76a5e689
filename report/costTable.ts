// `svmcheck compare` as text: one row per cost, one column per policy, each cell "median / p90".
import type { Comparison } from '../check/comparePolicies.js';
import { COST_KEYS } from '../model/costs/costs.js';

export interface CompareHeader {
  readonly workload: string;
  readonly workloadSummary: string;
  readonly runs: number;
  readonly seed: number;
  readonly kernel: string;
}

export function costTable(h: CompareHeader, c: Extract<Comparison, { k: 'measured' }>): string {
  const lines = [
    `compare: workload ${h.workload}, ${h.runs} run${h.runs === 1 ? '' : 's'} per policy, seed ${h.seed}, Linux ${h.kernel} rules`,
    `  ${h.workloadSummary}`,
    '  each cell: median / p90 over the runs (nearest rank); invariants checked on every step',
    '',
  ];
  const label = Math.max(...COST_KEYS.map((k) => k.label.length));
  const cells = c.policies.map((p) => COST_KEYS.map(({ key }) => `${p.median[key]} / ${p.p90[key]}`));
  const width = c.policies.map((p, i) => Math.max(p.policy.length, ...(cells[i] ?? []).map((x) => x.length)));
  lines.push(`${''.padEnd(label)}  ${c.policies.map((p, i) => p.policy.padStart(width[i] ?? 0)).join('  ')}`);
  COST_KEYS.forEach(({ label: l }, row) => {
    const cols = c.policies.map((_, i) => (cells[i]?.[row] ?? '').padStart(width[i] ?? 0));
    lines.push(`${l.padEnd(label)}  ${cols.join('  ')}`);
  });
  lines.push('');
  for (const p of c.policies) lines.push(`${p.policy}: ${p.summary}`);
  return lines.join('\n');
}
