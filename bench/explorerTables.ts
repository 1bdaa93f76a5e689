// The explorer's tables of issue 23, printed by npm run bench and on their own by
// npm run bench:explorer: partial-order reduction's headroom and bound (bench/porHeadroom.ts,
// bench/porCommuting.ts), states and time at equal depth without and with the reductions
// (bench/reductionRow.ts), and explore --workers 2 against one thread (bench/exploreWorkersRow.ts).
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import type { Scope } from '../explore/scope.js';
import { scopeByName } from '../explore/scopes.js';
import type { Driver } from '../model/driver.js';

const num = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A table row's built-in driver and scope, by name. */
function driverAndScope(name: string, scopeName: string): [Driver, Scope] {
  const d = BUILTIN_DRIVERS.find((x) => x.name === name);
  const scope = scopeByName(scopeName);
  if (!d || !scope) throw new Error(`bench: no driver ${name} or scope ${scopeName}`);
  return [d, scope];
}

export async function explorerTables(): Promise<void> {
  // Partial-order reduction's headroom (issue 23): at how many states could an ample set prune a move,
  // given the footprints the model records (bench/porHeadroom.ts).
  {
    const { porHeadroom } = await import('./porHeadroom.js');
    console.log(
      `\npartial-order reduction headroom: states with moves of 2+ agents; of those, with an agent's moves invisible to the invariants (C2), and also independent of the other enabled moves by field footprint (C1, one step); the same with the invariants that declare no reads left out`,
    );
    const rows: [string, string, number][] = [
      ['reference', 'two-threads', 5],
      ['mirror', 'two-threads', 4],
      ['mirror', 'tiny', 4],
      ['gpusvm', 'tiny', 4],
      ['reference', 'svm-tiny', 4],
      ['reference', 'fork', 3],
      ['fence-reference', 'fence-tiny', 4],
      ['xe', 'multi-device-tiny', 4],
    ];
    for (const [name, scopeName, depth] of rows) {
      const [d, scope] = driverAndScope(name, scopeName);
      const h = porHeadroom(d, scope, depth);
      const seen = Object.entries(h.seenBy)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      console.log(
        `  ${name.padEnd(16)} ${scopeName.padEnd(18)} depth ${depth}  ${num(h.distinct).padStart(6)} distinct  ${num(h.choice).padStart(5)} choice  ${num(h.invisible).padStart(4)} invisible  ${num(h.ample).padStart(4)} ample  (declared only: ${num(h.invisibleToDeclared)} invisible, ${num(h.ampleToDeclared)} ample; seen by: ${seen})`,
      );
    }
  }

  // What any partial-order reduction could save, from the states themselves (bench/porCommuting.ts):
  // the moves of different agents that commute, and an optimistic reduction (an agent's moves alone
  // wherever all of them commute with every other enabled move; later moves and invariants ignored).
  {
    const { porCommuting } = await import('./porCommuting.js');
    console.log(
      `\npartial-order reduction's bound, with activity ids as spawned and then canonical (the explorer's default): states with moves of 2+ agents, those where one agent's moves all commute with the others' (both orders reach the same state); pairs of moves of different agents, commuting, and of the others those whose states differ only in activity ids, and those where one order disables a move or throws; distinct states in full and with the optimistic reduction; where the other pairs' two states differ most (acts.set: not the same activities, an operation done in one order and not in the other; acts.l:FN.X: a local of a procedure)`,
    );
    // The scopes where agents share one page and, last, where they share less (two processes,
    // two GPUs on two pages, two threads with two devices): those with canonical ids only.
    const both = [false, true];
    const rows: [string, string, number, boolean[]][] = [
      ['reference', 'two-threads', 5, both],
      ['reference', 'svm-partial', 4, both],
      ['mirror', 'tiny', 4, both],
      ['gpusvm', 'tiny', 4, both],
      ['reference', 'fork', 3, [true]],
      ['reference', 'two-gpus', 3, [true]],
      ['xe', 'multi-device-pagemap', 4, [true]],
    ];
    for (const [name, scopeName, depth, ids] of rows)
      for (const canonicalIds of ids) {
        const [d, scope] = driverAndScope(name, scopeName);
        const c = porCommuting(d, scope, depth, { canonicalIds });
        // Where the two orders of the pairs that do not commute differ most (stored-only counters left out).
        const apart = Object.entries(c.differ)
          .filter(([k]) => !['faultIdx', 'nextAct', 'nextMig', 'writeSeq'].includes(k))
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        console.log(
          `  ${name.padEnd(16)} ${scopeName.padEnd(20)} depth ${depth} ${canonicalIds ? 'canonical  ' : 'spawn-order'}  ${num(c.choice).padStart(5)} choice  ${num(c.commuting).padStart(4)} commuting  ${num(c.commutingPairs).padStart(6)} / ${num(c.pairs).padStart(6)} pairs  ${num(c.idsOnly).padStart(6)} ids only  ${num(c.disabling).padStart(5)} disabling  ${num(c.distinct).padStart(7)} / ${num(c.oracleDistinct).padStart(7)} distinct  x${(c.distinct / c.oracleDistinct).toFixed(2)}  (apart in: ${apart})`,
        );
      }
  }

  // Partial-order reduction (explore --reduce, issue 23) at equal depth: each correct driver's smallest
  // scope and the two-activity scope, without and with it.
  {
    const { reductionRow } = await import('./reductionRow.js');
    console.log(
      `\nreductions at equal depth: distinct states, transitions, CPU seconds with activity ids as spawned (--spawn-order-ids) / canonical ids (the default) / canonical ids and partial-order reduction (--reduce); states expanded by one local step alone; the factors in states of canonical ids and of both`,
    );
    const rows: [string, string, number][] = [
      ['reference', 'svm-tiny', 5],
      ['reference', 'two-threads', 6],
      ['mirror', 'tiny', 5],
      ['mirror', 'two-threads', 5],
      ['gpusvm', 'tiny', 5],
      ['fence-reference', 'fence-tiny', 5],
      ['xe', 'multi-device-tiny', 5],
      ['kfd', 'kfd-tiny', 5],
      ['reference', 'svm-two-pages', 5],
    ];
    for (const [name, scopeName, depth] of rows) {
      const [d, scope] = driverAndScope(name, scopeName);
      const r = reductionRow(d, scope, depth);
      const verdict = (x: typeof r.full): string =>
        `${x.violation?.problem.invariant ?? 'ok'} ${x.violation?.moves.length ?? ''}`;
      const same = verdict(r.spawnOrder) === verdict(r.full) && verdict(r.full) === verdict(r.reduced);
      const three = (f: (x: typeof r.full) => string, w: number): string =>
        [r.spawnOrder, r.full, r.reduced].map((x) => f(x).padStart(w)).join(' / ');
      console.log(
        `  ${name.padEnd(16)} ${scopeName.padEnd(18)} depth ${depth}  ${three((x) => num(x.distinct), 9)} distinct  ${three((x) => num(x.generated), 9)} transitions  ${[r.spawnOrderSecs, r.fullSecs, r.reducedSecs].map((s) => s.toFixed(1).padStart(5)).join(' / ')} s  ${num(r.reduced.ampleStates).padStart(6)} ample  x${(r.spawnOrder.distinct / r.full.distinct).toFixed(2)} x${(r.spawnOrder.distinct / r.reduced.distinct).toFixed(2)}${same ? '' : '  VERDICTS DIFFER'}`,
      );
    }
  }

  // explore --workers N: the explorer's depths on worker threads (the bar: x1.7 on 2 workers
  // for explorations longer than 30 s).
  {
    const { exploreWorkersRow } = await import('./exploreWorkersRow.js');
    // The two-activity scope, from its default depth down to the first taking 30 s in process.
    const w = exploreWorkersRow('reference', 'two-threads', 30);
    console.log(
      `\nexplore --workers (svmcheck explore in a fresh process with Node's default flags, reference, two-threads, depth ${w.depth}: the first depth from 6 taking 30 s in process; ${num(w.distinct)} distinct states, wall clock): in process ${w.one.toFixed(1)} s, 2 workers ${w.two.toFixed(1)} s (x${(w.one / w.two).toFixed(2)})${w.same ? '' : '  RESULTS DIFFER'}`,
    );
  }
}
