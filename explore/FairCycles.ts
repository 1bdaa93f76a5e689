// Liveness in the explorer, as TLC checks it under weak fairness: the graph of explored states and
// the activities' moves is kept (edges between state ids, each labelled with the activity that
// moved; starting an operation is not a move a loop can repeat, as a program has finitely many),
// and after the search its strongly connected components are examined. A
// component with an edge inside it can be walked around forever; the walk is fair (WF over every
// activity and operation) when each key enabled in all of its states is also taken by one of its
// edges. Such a component is a livelock: activities keep moving, work stays pending, and a fair
// scheduler may stay in it for ever once the program's operations have all started. Its counterexample is the shortest path to the component's
// first-reached state (the stem) and a closed walk through every state and every required edge of
// the component (the loop), so the executor's LassoWatch sees the same fair loop when it replays.

import { Ints } from './Ints.js';

/** Move keys: an activity's id, or OP_KEY + the alphabet index of an operation started. */
export const OP_KEY = 1 << 24;

export interface FairCycle {
  /** The state the loop starts and ends at. */
  root: number;
  /** Edge indices of the loop, in order. */
  loop: number[];
}

export class FairCycles {
  private readonly from = new Ints();
  private readonly to = new Ints();
  private readonly key = new Ints();
  /** Per expanded state id: where its enabled keys start in `keys` (-1: not expanded). */
  private readonly enabledAt: number[] = [];
  private readonly enabledLen: number[] = [];
  private readonly keys = new Ints();

  /** Per expanded state: the activities that could run but had no CPU (model/cpus.ts). */
  private readonly noCpu: (readonly number[] | undefined)[] = [];

  /** The moves enabled in state `id` (recorded when it is expanded), and work waiting for a CPU there. */
  enabled(id: number, keys: readonly number[], noCpu: readonly number[] = []): void {
    this.enabledAt[id] = this.keys.n;
    this.enabledLen[id] = keys.length;
    for (const k of keys) this.keys.push(k);
    if (noCpu.length > 0) this.noCpu[id] = noCpu;
  }

  edge(from: number, to: number, key: number): number {
    this.from.push(from);
    this.to.push(to);
    this.key.push(key);
    return this.from.n - 1;
  }

  edgeFrom(e: number): number {
    return this.from.at(e);
  }

  edgeKey(e: number): number {
    return this.key.at(e);
  }

  get edges(): number {
    return this.from.n;
  }

  /**
   * The first fair cycle (its component reached earliest) that `accept` takes (all, without it), or
   * null.
   */
  find(accept?: (c: FairCycle) => boolean): FairCycle | null {
    const n = this.enabledAt.length;
    const out: number[][] = Array.from({ length: n }, () => []);
    for (let e = 0; e < this.from.n; e++) {
      const u = this.from.at(e);
      const v = this.to.at(e);
      // Only edges between expanded states can lie on a cycle the search has fully seen.
      if (u < n && v < n && this.enabledAt[v] !== undefined) out[u]?.push(e);
    }
    const comps = tarjan(
      n,
      out,
      (e) => this.to.at(e),
      (id) => this.enabledAt[id] !== undefined,
    );
    const fair: Array<{ root: number; inComp: Set<number>; internal: number[] }> = [];
    for (const comp of comps) {
      const inComp = new Set(comp);
      const internal: number[] = [];
      for (const u of comp) for (const e of out[u] ?? []) if (inComp.has(this.to.at(e))) internal.push(e);
      if (internal.length === 0) continue;
      if (!this.fair(comp, new Set(internal.map((e) => this.key.at(e))))) continue;
      fair.push({ root: Math.min(...comp), inComp, internal });
    }
    fair.sort((a, b) => a.root - b.root);
    for (const { root, inComp, internal } of fair) {
      const cycle = { root, loop: this.walk(root, inComp, internal, out) };
      if (!accept || accept(cycle)) return cycle;
    }
    return null;
  }

  /**
   * Whether staying in the component for ever is fair: every activity enabled in all of its
   * states runs in it (weak fairness), and so does every one that could run in all of them but had
   * a CPU free in only some (strong fairness over CPUs: a CPU that comes free goes to the task
   * waiting for it). One with no CPU in every state is what a lockup starves: that stays fair.
   */
  private fair(comp: readonly number[], taken: ReadonlySet<number>): boolean {
    const first = comp[0] as number;
    const candidates = new Set([...this.enabledKeys(first), ...(this.noCpu[first] ?? [])]);
    for (const k of candidates) {
      if (taken.has(k)) continue;
      let always = true;
      let starved = true;
      for (const id of comp) {
        const cpuLess = (this.noCpu[id] ?? []).includes(k);
        always &&= cpuLess || this.enabledKeys(id).includes(k);
        starved &&= cpuLess;
      }
      if (always && !starved) return false;
    }
    return true;
  }

  private enabledKeys(id: number): number[] {
    const at = this.enabledAt[id] ?? 0;
    const out: number[] = [];
    for (let i = 0; i < (this.enabledLen[id] ?? 0); i++) out.push(this.keys.at(at + i));
    return out;
  }

  /**
   * A closed walk from root through every state of the component and, for each key, one internal
   * edge taking it: every key enabled throughout the walk then runs in it.
   */
  private walk(root: number, inComp: Set<number>, internal: number[], out: number[][]): number[] {
    const need: number[] = [];
    const seenKey = new Set<number>();
    for (const e of internal)
      if (!seenKey.has(this.key.at(e))) {
        seenKey.add(this.key.at(e));
        need.push(e);
      }
    const unvisited = new Set(inComp);
    unvisited.delete(root);
    const loop: number[] = [];
    let at = root;
    const go = (path: number[]): void => {
      for (const e of path) {
        loop.push(e);
        at = this.to.at(e);
        unvisited.delete(at);
      }
    };
    for (const e of need) {
      go(this.path(at, this.from.at(e), inComp, out));
      go([e]);
    }
    for (const v of [...unvisited]) if (unvisited.has(v)) go(this.path(at, v, inComp, out));
    go(this.path(at, root, inComp, out));
    return loop;
  }

  /** The shortest edge path from a to b inside the component (empty when a === b). */
  private path(a: number, b: number, inComp: Set<number>, out: number[][]): number[] {
    if (a === b) return [];
    const via = new Map<number, number>();
    let frontier = [a];
    const seen = new Set([a]);
    while (frontier.length) {
      const next: number[] = [];
      for (const u of frontier)
        for (const e of out[u] ?? []) {
          const v = this.to.at(e);
          if (!inComp.has(v) || seen.has(v)) continue;
          seen.add(v);
          via.set(v, e);
          if (v === b) {
            const p: number[] = [];
            for (let x = b; x !== a;) {
              const pe = via.get(x) as number;
              p.unshift(pe);
              x = this.from.at(pe);
            }
            return p;
          }
          next.push(v);
        }
      frontier = next;
    }
    throw new Error(`FairCycles: no path from ${a} to ${b} inside a strongly connected component`);
  }
}

/** Tarjan's strongly connected components, iteratively (the graph can be deep). */
function tarjan(
  n: number,
  out: readonly number[][],
  head: (e: number) => number,
  live: (id: number) => boolean,
): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const comps: number[][] = [];
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1 || !live(s)) continue;
    const work: Array<[number, number]> = [[s, 0]];
    index[s] = low[s] = next++;
    stack.push(s);
    onStack[s] = 1;
    while (work.length) {
      const top = work[work.length - 1] as [number, number];
      const [u, i] = top;
      const edges = out[u] ?? [];
      if (i < edges.length) {
        top[1] = i + 1;
        const v = head(edges[i] as number);
        if (index[v] === -1) {
          index[v] = low[v] = next++;
          stack.push(v);
          onStack[v] = 1;
          work.push([v, 0]);
        } else if (onStack[v]) low[u] = Math.min(low[u] as number, index[v] as number);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[u] as number);
      if (low[u] === index[u]) {
        const comp: number[] = [];
        for (;;) {
          const w = stack.pop() as number;
          onStack[w] = 0;
          comp.push(w);
          if (w === u) break;
        }
        comps.push(comp);
      }
    }
  }
  return comps;
}
