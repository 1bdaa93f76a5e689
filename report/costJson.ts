// `svmcheck compare --json`: the header, and per policy its per-run costs, medians and p90s; or
// where the comparison stopped and why.
import type { Comparison } from '../check/comparePolicies.js';
import type { CompareHeader } from './costTable.js';

export function costJson(h: CompareHeader, c: Comparison): string {
  return JSON.stringify({ ...h, ...c });
}
