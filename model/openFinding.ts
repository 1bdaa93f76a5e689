// Upstream behaviour a model of shipped code reproduces (Driver.openFindings), each explained by an
// archived case with status open. An open finding is recognised by a predicate over the failed run,
// as model/kernelFindings.ts recognises a release's known bugs: a soak tallies a run under the case
// that explains it, and any other violation of the same invariant still fails. An invariant alone
// (a plain string, as a user's driver may give) takes every violation of it as known.
import type { At } from './finding.js';
import type { State } from './types.js';

/** What a predicate sees of a problem: its invariant and kind, and its finding's code and data. */
export interface FailureView {
  invariant: string;
  kind: string;
  code?: string;
  at?: At;
  data?: Readonly<Record<string, unknown>>;
}

export interface OpenFinding {
  /** The archived open case that explains it (counterexamples/<case>.json). */
  case: string;
  /** The invariant (or run failure, such as forward-progress) it breaks. */
  invariant: string;
  /**
   * Whether this upstream behaviour is what the failed run shows: from the problem, the state the
   * run failed in, and the run's counters (the driver counts the step at which upstream does it,
   * under a key of its own, so the predicate can ask whether the run went through it).
   */
  explains(f: FailureView, s: State, stats: ReadonlyMap<string, number>): boolean;
}

/** An entry of Driver.openFindings: an open finding, or an invariant every violation of which is known. */
export type OpenFindingEntry = string | OpenFinding;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** A problem as its open-finding predicates see it (any Problem of properties/invariant.ts). */
export function failureView(p: { invariant: string; kind: string; finding?: unknown }): FailureView {
  const f = p.finding;
  const view: FailureView = { invariant: p.invariant, kind: p.kind };
  if (!isRecord(f)) return view;
  if (typeof f['code'] === 'string') view.code = f['code'];
  if (isRecord(f['at'])) view.at = f['at'] as At;
  if (isRecord(f['data'])) view.data = f['data'];
  return view;
}

/** The invariants a driver's open findings break, each once, in order. */
export function openInvariants(entries: readonly OpenFindingEntry[] | undefined): string[] {
  const out: string[] = [];
  for (const e of entries ?? []) {
    const inv = typeof e === 'string' ? e : e.invariant;
    if (!out.includes(inv)) out.push(inv);
  }
  return out;
}

/**
 * The open finding that explains a failed run: its tally key (the archived case, or the invariant
 * of a plain entry), or undefined when none does.
 */
export function openFindingFor(
  entries: readonly OpenFindingEntry[] | undefined,
  p: { invariant: string; kind: string; finding?: unknown },
  s: State,
  stats: ReadonlyMap<string, number>,
): string | undefined {
  let view: FailureView | undefined;
  for (const e of entries ?? []) {
    if (typeof e === 'string') {
      if (e === p.invariant) return e;
      continue;
    }
    if (e.invariant !== p.invariant) continue;
    view ??= failureView(p);
    if (e.explains(view, s, stats)) return e.case;
  }
  return undefined;
}
