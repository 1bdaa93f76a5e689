// Plain-text rendering of an exploration: what was covered (per depth) and, on a violation, the
// shortest counterexample in the same format as run's.
import type { CheckReport, Counterexample } from '../check/checkDriver.js';
import type { ExploreResult } from '../explore/explore.js';
import type { Scope } from '../explore/scope.js';
import { formatFailureText } from './text.js';

const num = (n: number): string => n.toLocaleString('en-US');

export function formatExploreText(
  r: ExploreResult,
  scope: Scope,
  cx: Counterexample | null,
  replay: string,
): string {
  const out: string[] = [];
  const status = cx ? 'FAIL' : r.depthCompleted < r.depth ? 'part' : 'ok  ';
  const covered = cx
    ? `a violation at depth ${cx.explored?.depth ?? '?'}`
    : r.depthCompleted < r.depth
      ? `complete to depth ${r.depthCompleted} of ${r.depth}, stopped by --max-states`
      : `every state to depth ${r.depth} checked, no invariant broken`;
  out.push(`${status}  driver '${r.driver}', scope '${r.scope}': ${covered}`);
  out.push(`      ${scope.summary}`);
  out.push(
    `      ${num(r.distinct)} distinct states, ${num(r.generated)} transitions; symmetry reduction ${r.symmetry ? 'on' : 'off'}${r.reduce ? `; partial-order reduction on (${num(r.ampleStates)} states expanded by one local step alone)` : ''}`,
  );
  out.push('  depth  new states');
  r.levels.forEach((n, d) => out.push(`  ${String(d).padStart(5)}  ${num(n).padStart(10)}`));
  if (cx) {
    const report: CheckReport = {
      driver: r.driver,
      profile: r.scope,
      seed: 0,
      runs: 0,
      steps: 0,
      stats: {},
      runsWith: {},
      interrupted: false,
      failure: cx,
    };
    out.push('', formatFailureText(report, replay));
  }
  return out.join('\n');
}
