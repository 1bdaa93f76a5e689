// The run as a sequence diagram: CPU threads, GPU queues, each GPU's driver (fault handler,
// notifier callback, migration), kernel work the model spawns (kworker: deferred work, eviction),
// the core mm and the mmu notifiers, and the calls, faults, invalidations and replies between
// them, in scheduler order. The failing step is boxed.
import { match } from 'ts-pattern';
import type { TraceStep } from '../check/execute.js';
import type { Event } from '../model/events.js';
import type { Program } from '../model/program.js';
import { describeEvent, describeOp } from './describe.js';
import type { DiagramItem, SequenceDiagram } from './explanation.js';

const MM = 'mm';
const MN = 'mn';

function gpuOfOp(program: Program, op: number): number {
  const o = program.ops[op];
  const n = program.config.gpus.length;
  return o && (o.op === 'gpu_read' || o.op === 'gpu_write' || o.op === 'gpu_atomic' || o.op === 'migrate')
    ? o.gpu % n
    : -1;
}

/** `actor`: who runs driver code in this step (a GPU's driver, or spawned kernel work); null on a CPU thread. */
function itemsOf(e: Event, agent: string, actor: string | null): DiagramItem[] {
  const msg = (from: string, to: string, reply = false): DiagramItem[] => [
    { k: 'msg', from, to, text: describeEvent(e), reply },
  ];
  const note = (over: string): DiagramItem[] => [{ k: 'note', over, text: describeEvent(e) }];
  return (
    match(e)
      .with({ e: 'cpu-read' }, { e: 'cpu-write' }, { e: 'sigsegv' }, () => msg(MM, agent, true))
      .with({ e: 'gpu-read' }, { e: 'gpu-write' }, (x) => note(`gpu${x.gpu}`))
      .with({ e: 'gpu-fault' }, (x) => msg(`gpu${x.gpu}`, `drv${x.gpu}`))
      .with({ e: 'gpu-error' }, (x) => msg(`drv${x.gpu}`, `gpu${x.gpu}`, true))
      .with({ e: 'gpu-map' }, (x) => msg(`drv${x.gpu}`, `gpu${x.gpu}`))
      .with({ e: 'gpu-zap' }, (x) => msg(MN, `drv${x.gpu}`))
      .with({ e: 'notify' }, () => msg(MM, MN))
      .with({ e: 'hmm' }, { e: 'migrate' }, () => (actor ? msg(actor, MM) : note(MM)))
      .with({ e: 'syscall' }, (x) => (x.err === 'SKIP' ? note(agent) : msg(MM, agent, true)))
      .with({ e: 'svm-set-attr' }, { e: 'svm-get-attr' }, () => msg(MM, agent, true))
      .with({ e: 'svm-window' }, { e: 'svm-range' }, () => note(actor ?? MM))
      .with({ e: 'retry' }, (x) => note(`drv${x.gpu}`))
      // The synchronisation side: jobs go to their GPU; waits, signals, locks and allocations are noted
      // on whoever does them.
      .with({ e: 'job-submit' }, (x) => msg(agent, `gpu${x.gpu}`))
      .with({ e: 'fence-signal' }, { e: 'fence-wait' }, { e: 'resv-lock' }, { e: 'alloc' }, () =>
        note(actor ?? agent),
      )
      .with({ e: 'bo-evict' }, (x) => note(`drv${x.gpu}`))
      .with({ e: 'warn' }, () => note(actor ?? agent))
      .with({ e: 'queues' }, () => note(actor ?? MM))
      .exhaustive()
  );
}

function label(id: string): string {
  if (id === MM) return 'core mm (page tables, hmm, migrate_vma)';
  if (id === MN) return 'mmu notifiers';
  if (id.startsWith('drv')) return `gpu${id.slice(3)} driver (fault handler, invalidate)`;
  if (id.startsWith('gpu')) return `${id} (queue, page table)`;
  if (id.startsWith('cpu')) return `CPU thread ${id.slice(3)}`;
  if (id === 'kworker') return 'kworker (deferred work, eviction)';
  return id;
}

function order(id: string): string {
  const rank = id.startsWith('cpu')
    ? 0
    : id === MM
      ? 1
      : id === MN
        ? 2
        : id.startsWith('drv')
          ? 3
          : id.startsWith('gpu')
            ? 4
            : 5;
  return `${rank}:${id.replace(/\d+/, (d) => d.padStart(3, '0'))}`;
}

export function sequenceDiagram(
  program: Program,
  trace: readonly TraceStep[],
  brokenStep: number | null,
  brokenText: string,
): SequenceDiagram {
  const items: DiagramItem[] = [];
  const used = new Set<string>();
  const started = new Set<number>();
  const use = (xs: DiagramItem[]): DiagramItem[] => {
    for (const x of xs) {
      if (x.k === 'msg') used.add(x.from).add(x.to);
      else if (x.k === 'note') used.add(x.over);
    }
    return xs;
  };
  for (const t of trace) {
    const step: DiagramItem[] = [];
    const gpu = gpuOfOp(program, t.op);
    const drv = gpu >= 0 ? `drv${gpu}` : null;
    const kernelWork = !t.agent.startsWith('cpu') && !t.agent.startsWith('gpu');
    const actor = drv ?? (kernelWork ? t.agent : null);
    const op = program.ops[t.op];
    if (op && !started.has(t.op)) {
      started.add(t.op);
      // A CPU thread's operation is a system call, or a request to the driver of the GPU it names.
      if (t.agent.startsWith('cpu'))
        step.push(
          ...use([
            {
              k: 'msg',
              from: t.agent,
              to: 'gpu' in op && drv ? drv : MM,
              text: `${t.op + 1}. ${describeOp(op, program.config)}`,
              reply: false,
            },
          ]),
        );
    }
    for (const e of t.events) step.push(...use(itemsOf(e, t.agent, actor)));
    if (t.n === brokenStep) {
      used.add(t.agent);
      items.push({ k: 'broken', items: step, over: t.agent, text: brokenText });
    } else items.push(...step);
  }
  const participants = [...used]
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
    .map((id) => ({ id, label: label(id) }));
  return { participants, items };
}
