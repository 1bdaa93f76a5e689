// Executes a conformance program on the model, step by step, and produces the lines the guest
// runner would print for it (conformance/kernel/README.md, "Runner JSON output"): the same
// processes (fork runs the child's tail first, then the parent's), the same fields, errno numbers
// and snapshot bytes. A step the model predicts to oops or hang the kernel ends the run there.
import { match } from 'ts-pattern';
import { dmirror } from '../drivers/dmirror/dmirror.js';
import type { DmResult } from '../drivers/dmirror/dmirrorCmd.js';
import { dmirrorOpen } from '../drivers/dmirror/dmirrorDevice.js';
import type { DmCmd } from '../drivers/dmirror/dmirrorIoctl.js';
import { initialState, procTable } from '../model/engine.js';
import type { Event } from '../model/events.js';
import type { KernelVersion } from '../model/kernelVersion.js';
import { KernelOops } from '../model/kernelOops.js';
import { kernelFailureWords } from '../report/kernelFailureWords.js';
import { vmaAt } from '../model/mem.js';
import type { Env, Proc } from '../model/proc.js';
import { runProc } from '../model/runProc.js';
import type { Activity } from '../model/types.js';
import { conformanceConfig, ERRNO } from './modelConfig.js';
import type { ConfProgram, Step } from './program.js';

export type Line = Record<string, unknown>;

export interface ModelRun {
  lines: Line[];
  /** 'oops' / 'hang': the kernel is predicted to stop at the step after the last line. */
  end: 'ok' | 'oops' | 'hang' | 'model-error';
  message: string;
  steps: number;
  /** WARN_ONs the kernel is predicted to print, as file:line. */
  warnings: string[];
  /**
   * Devices left with allocated pages after the program's processes exited (references leaked):
   * a later HMM_DMIRROR_RELEASE of such a device hangs, so this program must be the last of its boot.
   */
  leaks: number[];
}

/** Whether the program takes the guest down or leaves it changed for the programs after it. */
export const endsBoot = (m: ModelRun): boolean => m.end === 'oops' || m.end === 'hang' || m.leaks.length > 0;

interface Ctx {
  pid: number;
  proc: number;
  slots: Array<number | null>;
  /** Open dmirror fds of this process: device -> mirror id, in open order. */
  fds: Array<[number, number]>;
}

const DM_CMD: Record<string, DmCmd> = {
  dm_read: 'read',
  dm_write: 'write',
  dm_migrate_dev: 'migrate_to_dev',
  dm_migrate_sys: 'migrate_to_sys',
  dm_snapshot: 'snapshot',
  dm_exclusive: 'exclusive',
  dm_check_exclusive: 'check_exclusive',
  dm_release: 'release',
};

const errno = (err: string): number => {
  const n = ERRNO[err];
  if (n === undefined) throw new Error(`model returned an errno the executor does not know: ${err}`);
  return n;
};

let table: Map<string, Proc> | undefined;

/** Virtual pages the model needs for a program: its highest mapped or addressed page, plus margin. */
function vaPagesFor(prog: ConfProgram): number {
  let hi = 0;
  const bases = new Map<number, number>();
  for (const st of prog.steps) if (st.op === 'mmap_at') bases.set(st.slot, st.page);
  for (const st of prog.steps) {
    if (st.op === 'mmap_at') hi = Math.max(hi, st.page + st.npages);
    else if ('slot' in st) {
      const n = 'npages' in st ? st.npages : 1;
      hi = Math.max(hi, (bases.get(st.slot) ?? 0) + st.pageoff + n);
    }
  }
  return Math.max(64, hi + 8);
}

/** `kernel`: the release the program ran (or will run) on; the model follows that release's rules. */
export function runOnModel(prog: ConfProgram, kernel: KernelVersion): ModelRun {
  table ??= procTable(dmirror);
  const s = initialState(conformanceConfig(kernel, vaPagesFor(prog)), dmirror);
  const events: Event[] = [];
  const env: Env = {
    s,
    act: null as unknown as Activity,
    events,
    stats: new Map(),
    faults: [],
    procs: table,
    lockEdges: new Map(),
    step: 0,
    drv: dmirror,
  };
  const lines: Line[] = [];
  let procs = 0;
  let steps = 0;
  const warnings: string[] = [];
  const call = (fn: string, args: Record<string, unknown>): unknown => {
    env.events = [];
    try {
      return runProc(env, fn, args);
    } finally {
      events.splice(0, events.length, ...env.events);
      for (const e of env.events) if (e.e === 'warn') warnings.push(e.at);
    }
  };

  const head = (c: Ctx, si: number, op: string): Line => ({ p: prog.id, proc: c.proc, s: si, op });

  function exitProcess(c: Ctx): void {
    call('sys_exit', { pid: c.pid });
    for (const [, m] of c.fds) call('drv:close', { m });
    c.fds = [];
  }

  function step(c: Ctx, si: number, st: Step): Line | null {
    const h = head(c, si, st.op);
    const base = 'slot' in st && st.op !== 'mmap_at' ? c.slots[st.slot] : undefined;
    if (base === null) return { ...h, error: 'bad_slot' };
    const vpn = (off: number): number => (base ?? 0) + off;
    return match(st)
      .with({ op: 'mmap_at' }, (x) => {
        if ((c.slots[x.slot] ?? null) !== null) return { ...h, error: 'slot_in_use' };
        const err = call('sys_mmap', {
          pid: c.pid,
          pages: x.npages,
          prot: x.prot,
          shared: x.shared,
          at: x.page,
        });
        if (err !== '0') return { ...h, ret: -1, errno: errno(String(err)) };
        c.slots[x.slot] = x.page;
        return { ...h, ret: 0, errno: 0 };
      })
      .with({ op: 'munmap' }, { op: 'mprotect' }, { op: 'madvise_dontneed' }, (x) => {
        const start = vpn(x.pageoff);
        const fn =
          x.op === 'munmap' ? 'sys_munmap' : x.op === 'mprotect' ? 'sys_mprotect' : 'sys_madvise_dontneed';
        const args = {
          pid: c.pid,
          start,
          end: start + x.npages,
          ...(x.op === 'mprotect' ? { prot: x.prot } : {}),
        };
        const err = String(call(fn, args));
        return err === '0' ? { ...h, ret: 0, errno: 0 } : { ...h, ret: -1, errno: errno(err) };
      })
      .with({ op: 'read' }, { op: 'write' }, (x) => {
        const v = vpn(x.pageoff);
        const write = x.op === 'write';
        call('cpu_access', { pid: c.pid, vpn: v, write, ...(write ? { value: x.value } : {}) });
        for (const e of events) {
          if (e.e === 'cpu-read') return { ...h, value: e.v };
          if (e.e === 'cpu-write') return { ...h, ret: 0 };
          if (e.e === 'sigsegv')
            return { ...h, signal: 'SEGV', si_code: vmaAt(s, c.pid, v) ? 'ACCERR' : 'MAPERR' };
          if (e.e === 'syscall' && e.op === 'page fault' && e.err === 'SIGBUS')
            return { ...h, signal: 'BUS', si_code: 'ADRERR' };
        }
        throw new Error(`CPU ${x.op} of page ${v} ended without an outcome`);
      })
      .with({ op: 'fork' }, () => {
        const err = call('sys_fork', { pid: c.pid });
        if (err !== '0') throw new Error(`fork failed in the model: ${String(err)}`);
        const child: Ctx = { pid: s.procs.length - 1, proc: ++procs, slots: [...c.slots], fds: [] };
        runSteps(child, si + 1);
        exitProcess(child);
        return { ...h, ret: 0, child: child.proc, child_status: 'exit:0' };
      })
      .with({ op: 'dm_close' }, (x) => {
        const i = c.fds.findIndex(([d]) => d === x.dev);
        if (i < 0) return { ...h, ret: 0, errno: 0, was_open: false };
        const [, m] = c.fds[i] as [number, number];
        c.fds.splice(i, 1);
        call('drv:close', { m });
        return { ...h, ret: 0, errno: 0 };
      })
      .with(
        { op: 'dm_read' },
        { op: 'dm_write' },
        { op: 'dm_migrate_dev' },
        { op: 'dm_migrate_sys' },
        { op: 'dm_snapshot' },
        { op: 'dm_exclusive' },
        { op: 'dm_check_exclusive' },
        { op: 'dm_release' },
        (x) => {
          let m = c.fds.find(([d]) => d === x.dev)?.[1];
          if (m === undefined) {
            m = dmirrorOpen(s, x.dev, c.pid);
            c.fds.push([x.dev, m]);
          }
          const range = x.op === 'dm_release' ? { start: 0, n: 1 } : { start: vpn(x.pageoff), n: x.npages };
          const value = x.op === 'dm_write' ? x.value : 0;
          const r = call('drv:ioctl', { m, cmd: DM_CMD[x.op], ...range, value }) as DmResult;
          if (r.err !== '0') return { ...h, ret: -1, errno: errno(r.err), cpages: 0, faults: 0 };
          const out: Line = { ...h, ret: 0, errno: 0, cpages: r.cpages, faults: r.faults };
          if (r.data && (x.op === 'dm_read' || x.op === 'dm_migrate_dev' || x.op === 'dm_exclusive'))
            out.data = r.data;
          if (r.snap && x.op === 'dm_snapshot') out.snap = r.snap;
          return out;
        },
      )
      .exhaustive();
  }

  function runSteps(c: Ctx, from: number): void {
    for (let si = from; si < prog.steps.length; si++) {
      const st = prog.steps[si] as Step;
      steps++;
      const line = step(c, si, st);
      if (line) lines.push(line);
    }
    lines.push({ p: prog.id, proc: c.proc, op: 'end', steps: prog.steps.length });
  }

  const root: Ctx = { pid: 0, proc: 0, slots: [], fds: [] };
  lines.push({ p: prog.id, proc: 0, op: 'begin' });
  try {
    runSteps(root, 0);
    exitProcess(root);
    lines.push({ p: prog.id, op: 'exit', status: 'exit:0' });
    const leaks = s.cfg.gpus.flatMap((g, dev) => {
      const base = s.vramBase[dev] ?? 0;
      return s.phys.slice(base, base + g.vram).some((pg) => !pg.free) ? [dev] : [];
    });
    return { lines, end: 'ok', message: '', steps, warnings, leaks };
  } catch (e) {
    if (e instanceof KernelOops)
      return { lines, end: e.kind, message: kernelFailureWords(e.finding), steps, warnings, leaks: [] };
    return { lines, end: 'model-error', message: (e as Error).message, steps, warnings, leaks: [] };
  }
}
