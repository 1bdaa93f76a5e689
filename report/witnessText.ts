// Witnesses in text: the wait-for cycle of a deadlock (who holds what, who waits on what), and a
// lock-order cycle as lockdep prints it — the dependency chain with where each edge was first
// seen, then the "possible unsafe locking scenario" table, one column per party.
import { match } from 'ts-pattern';
import type { EdgeKind, LockEdge } from '../model/lockdep/lockEdge.js';
import type { WaitLink } from '../model/waitFor.js';
import type { Witness } from '../model/witness.js';

/** An activity as the report names it: its agent, and the operation it runs if it runs one. */
const who = (agent: string, op: number): string => (op >= 0 ? `${agent} (op ${op + 1})` : agent);

function link(l: WaitLink): string[] {
  const on = l.onAgents.length ? `, ${l.role} ${l.onAgents.join(', ')}` : '';
  return [
    `  ${who(l.agent, l.op)}`,
    `      holds  ${l.holds.length ? l.holds.join(', ') : 'nothing'}`,
    `      waits  ${l.waits}${on}`,
  ];
}

/** What taking a lock class looks like in the scenario table. */
function action(cls: string, how: EdgeKind | 'held'): string {
  if (cls === 'dma_fence_map')
    return how === 'wait' ? 'dma_fence_wait(dma_fence)' : 'dma_fence_begin_signalling()';
  if (cls === 'hmm_fence_map') return how === 'wait' ? 'wait(hmm_fence)' : 'run a job behind an hmm_fence';
  if (cls === 'fs_reclaim') return 'fs_reclaim_acquire()';
  if (cls === 'mmu_notifier_invalidate_range_start') return 'mmu_notifier_invalidate_range_start()';
  if (cls === 'gpu_page_fault') return 'handle a GPU page fault';
  return `lock(${cls})`;
}

function party(e: LockEdge): string {
  return e.primed ? 'boot (lockdep priming)' : who(e.agent, e.op);
}

/**
 * Consecutive edges seen in one step of one activity (or all primed at boot) are one context: it
 * holds each edge's source in turn and then wants the last edge's target.
 */
function contexts(cycle: readonly LockEdge[]): LockEdge[][] {
  const out: LockEdge[][] = [];
  for (const e of cycle) {
    const last = out[out.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev && prev.agent === e.agent && prev.step === e.step) last.push(e);
    else out.push([e]);
  }
  if (out.length === 1 && cycle.length > 1) return cycle.map((e) => [e]);
  return out;
}

function lockOrder(cycle: readonly LockEdge[], maxWidth: number): string[] {
  const out = ['Dependency chain (each edge: the first time it was seen):'];
  cycle.forEach((e, i) => {
    const where = e.primed
      ? `primed at boot by ${e.stack.join(' > ')}() (drivers/dma-buf/dma-resv.c)`
      : `${party(e)} at step ${e.step + 1}: ${e.how === 'wait' ? 'waited on' : e.how === 'section' ? 'entered' : 'took'} ${e.toName} holding ${e.fromName}`;
    out.push(`  #${i} ${e.from} -> ${e.to}: ${where}`);
    if (!e.primed) out.push(`       ${e.stack.join(' > ')}`);
  });
  const ctx = contexts(cycle);
  const cell = (g: LockEdge[]): string[] => [
    ...g.map((e) => `${action(e.from, 'held')};`),
    `${action(g[g.length - 1]?.to ?? '', g[g.length - 1]?.how ?? 'lock')};`,
  ];
  const width = Math.max(
    30,
    ...ctx.map((g) => party(g[0] as LockEdge).length + 4),
    ...ctx.flatMap(cell).map((t) => t.length + 4),
  );
  // First every context takes what it holds, then each wants what the next one holds.
  const rows: Array<[number, string]> = [];
  ctx.forEach((g, i) =>
    cell(g)
      .slice(0, -1)
      .forEach((t) => rows.push([i, t])),
  );
  ctx.forEach((g, i) => rows.push([i, cell(g)[g.length] ?? '']));
  const names = ctx.map((g) => party(g[0] as LockEdge));
  out.push('', 'Possible unsafe locking scenario:', '');
  if (2 + width * (ctx.length - 1) + Math.max(...rows.map(([, t]) => t.length)) <= maxWidth) {
    const col = (i: number, text: string): string => `  ${' '.repeat(i * width)}${text}`;
    out.push(`  ${names.map((n) => n.padEnd(width)).join('')}`.trimEnd());
    out.push(`  ${ctx.map(() => '----'.padEnd(width)).join('')}`.trimEnd());
    for (const [i, t] of rows) out.push(col(i, t));
  } else {
    // Too wide for columns (a mail): the same rows in time order, each naming its party.
    const w = Math.max(...names.map((n) => n.length)) + 2;
    for (const [i, t] of rows) out.push(`  ${`${names[i] ?? ''}:`.padEnd(w)} ${t}`);
  }
  out.push('', '  *** DEADLOCK ***');
  return out;
}

/** The witness as lines; lockdep's scenario table is laid out in columns when it fits in maxWidth. */
export function witnessText(w: Witness, maxWidth = Infinity): string[] {
  return match(w)
    .with({ k: 'wait-for' }, (x) => {
      if (!x.cycle.length) return ['Blocked activities (no cycle among them):', ...x.blocked.flatMap(link)];
      const others = x.blocked.filter((b) => !x.cycle.some((c) => c.act === b.act));
      return [
        'Wait-for cycle (each waits for the next, the last for the first):',
        ...x.cycle.flatMap(link),
        ...(others.length ? ['Also blocked:', ...others.flatMap(link)] : []),
      ];
    })
    .with({ k: 'lock-order' }, (x) => lockOrder(x.cycle, maxWidth))
    .with({ k: 'fence-chain' }, (x) => [`What ${x.fence} waits on:`, ...x.chain.flatMap(link)])
    .with({ k: 'lasso' }, (x) => [
      `${x.cpus ? 'Lockup' : 'Livelock'}: steps ${x.from}..${x.to} of the interleaving come back to the state before step ${x.from}`,
      'and repeat forever under a fair schedule (every activity runnable throughout the loop runs in it).',
      ...(x.cpus
        ? [
            'Wait-for cycle through the CPUs (each waits for the next, the last for the first):',
            ...x.cpus.flatMap(link),
          ]
        : []),
    ])
    .exhaustive();
}
