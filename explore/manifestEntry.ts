// One line of the explorer's manifest of expected results (explore/manifest.json), as the TLA+
// Examples repository keeps one per model: what an exploration of one (driver, scope, kernel,
// depth) covered and concluded. The numbers are exact: a change to the model, a driver or the state
// codec that merges or splits states changes them, and test/exploreManifest.ts says so.
import type { ExploreResult } from './explore.js';

export interface ManifestEntry {
  driver: string;
  scope: string;
  /** The Linux release whose core-mm rules the model followed (Config.kernel). */
  kernel: string;
  depth: number;
  symmetry: boolean;
  /** Which state-space reduction besides symmetry: none, or partial-order reduction (`explore --reduce`: local steps taken alone). */
  reduction: 'none' | 'por';
  /**
   * Activity ids: canonical (the explorer's default, explore/ActivityIds.ts), or as spawned
   * (`explore --spawn-order-ids`: states differing only in ids are apart).
   */
  ids: 'canonical' | 'spawn-order';
  /** ok: every state to the depth checked; violation: stopped at the first one; capped: --max-states reached first. */
  result: 'ok' | 'violation' | 'capped';
  /** The invariant broken and the length of the shortest path to it, for a violation. */
  invariant?: string;
  moves?: number;
  depthCompleted: number;
  distinct: number;
  generated: number;
  /** New distinct states per depth, the initial state first. */
  levels: number[];
}

export function manifestEntry(r: ExploreResult, kernel: string): ManifestEntry {
  const v = r.violation;
  return {
    driver: r.driver,
    scope: r.scope,
    kernel,
    depth: r.depth,
    symmetry: r.symmetry,
    reduction: r.reduce ? 'por' : 'none',
    ids: r.canonicalIds ? 'canonical' : 'spawn-order',
    result: v ? 'violation' : r.capped ? 'capped' : 'ok',
    ...(v ? { invariant: v.problem.invariant, moves: v.moves.length } : {}),
    depthCompleted: r.depthCompleted,
    distinct: r.distinct,
    generated: r.generated,
    levels: r.levels,
  };
}
