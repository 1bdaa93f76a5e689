// A process-level driver of the model for scenario tests: the calls hmm-tests.c makes (mmap,
// mprotect, munmap, fork, CPU loads and stores, open/ioctl/close of /dev/hmm_dmirrorN), each run to
// completion on the model with the dmirror driver. Every page holds one value (its first word):
// hmm-tests' "ptr[i] = i" over all words becomes "page p holds p * 1024".
import type { DmResult } from '../drivers/dmirror/dmirrorCmd.js';
import { dmirrorOpen } from '../drivers/dmirror/dmirrorDevice.js';
import type { DmCmd } from '../drivers/dmirror/dmirrorIoctl.js';
import { dmirror } from '../drivers/dmirror/dmirror.js';
import { conformanceConfig, ERRNO } from '../conformance/modelConfig.js';
import { initialState, procTable } from '../model/engine.js';
import type { Event } from '../model/events.js';
import type { Env } from '../model/proc.js';
import { runProc } from '../model/runProc.js';
import type { Activity, Prot, State } from '../model/types.js';
import type { KernelVersion } from '../model/kernelVersion.js';

/** Words per page: hmm-tests indexes int arrays, the model keeps the first word of each page. */
export const WORDS = 1024;

const neg = (err: string): number => (err === '0' ? 0 : -(ERRNO[err] ?? 9999));

export class HmmSim {
  readonly s: State;
  readonly env: Env;
  events: Event[] = [];

  constructor(
    vaPages = 1100,
    vram = 1100,
    thp: 'always' | 'madvise' = 'madvise',
    kernel: KernelVersion = '6.1',
    /** Config.pmdPages: absent, x86-64's 512. */
    pmdPages?: number,
  ) {
    const cfg = conformanceConfig(kernel, vaPages, vram, 4 * vram + 1024, thp);
    this.s = initialState(pmdPages ? { ...cfg, pmdPages } : cfg, dmirror);
    this.env = {
      s: this.s,
      act: null as unknown as Activity,
      events: [],
      stats: new Map(),
      faults: [],
      procs: procTable(dmirror),
      lockEdges: new Map(),
      step: 0,
      drv: dmirror,
    };
  }

  call(fn: string, args: Record<string, unknown>): unknown {
    this.env.events = [];
    const r = runProc(this.env, fn, args);
    this.events = this.env.events;
    return r;
  }

  /** mmap(NULL, npages): a fresh range, a guard page away from the previous one; returns its first page. */
  mmap(pid: number, npages: number, prot: Prot, shared = false, file?: number): number {
    const at = this.gap(pid, npages);
    const err = this.call('sys_mmap', {
      pid,
      pages: npages,
      prot,
      shared,
      at,
      ...(file === undefined ? {} : { file }),
    });
    if (err !== '0') throw new Error(`mmap: ${String(err)}`);
    return at;
  }

  /** mmap of the device file itself (dmirror_fops_mmap). */
  mmapDevice(pid: number, npages: number, prot: Prot, shared = false): number {
    const at = this.gap(pid, npages);
    const err = this.call('drv:mmap', { pid, pages: npages, prot, shared, at });
    if (err !== '0') throw new Error(`mmap of the device: ${String(err)}`);
    return at;
  }

  /** The lowest free range with a free page on each side (so that no two mappings touch). */
  private gap(pid: number, npages: number): number {
    const vmas = this.s.procs[pid]?.vmas ?? [];
    for (let at = 64; at + npages < this.s.cfg.vaPages; at++)
      if (!vmas.some((v) => v.start <= at + npages && v.end >= at)) return at;
    throw new Error(`mmap: no room for ${npages} pages`);
  }

  munmap(pid: number, start: number, npages: number): number {
    return neg(String(this.call('sys_munmap', { pid, start, end: start + npages })));
  }

  mprotect(pid: number, start: number, npages: number, prot: Prot): number {
    return neg(String(this.call('sys_mprotect', { pid, start, end: start + npages, prot })));
  }

  /** A CPU load of the page's first word; 'SEGV' / 'BUS' when it faults. */
  read(pid: number, vpn: number): number | 'SEGV' | 'BUS' {
    this.call('cpu_access', { pid, vpn, write: false });
    for (const e of this.events) {
      if (e.e === 'cpu-read') return e.v;
      if (e.e === 'sigsegv') return 'SEGV';
      if (e.e === 'syscall' && e.err === 'SIGBUS') return 'BUS';
    }
    throw new Error(`read of page ${vpn}: no outcome`);
  }

  write(pid: number, vpn: number, value: number): 0 | 'SEGV' | 'BUS' {
    this.call('cpu_access', { pid, vpn, write: true, value });
    for (const e of this.events) {
      if (e.e === 'cpu-write') return 0;
      if (e.e === 'sigsegv') return 'SEGV';
      if (e.e === 'syscall' && e.err === 'SIGBUS') return 'BUS';
    }
    throw new Error(`write of page ${vpn}: no outcome`);
  }

  fork(pid: number): number {
    const err = this.call('sys_fork', { pid });
    if (err !== '0') throw new Error(`fork: ${String(err)}`);
    return this.s.procs.length - 1;
  }

  /** exit(): the mm goes first (exit_mm), then the files (exit_files closes the mirrors). */
  exit(pid: number, mirrors: readonly number[] = []): void {
    this.call('sys_exit', { pid });
    for (const m of mirrors) this.close(m);
  }

  open(dev: number, pid: number): number {
    return dmirrorOpen(this.s, dev, pid);
  }

  close(m: number): void {
    this.call('drv:close', { m });
  }

  /** hmm_dmirror_cmd(): the ioctl, with the return value as hmm-tests sees it (0 or -errno). */
  cmd(m: number, cmd: DmCmd, start: number, n: number, values?: number[]): DmResult & { ret: number } {
    const r = this.call('drv:ioctl', {
      m,
      cmd,
      start,
      n,
      value: 0,
      ...(values ? { values } : {}),
    }) as DmResult;
    return { ...r, ret: neg(r.err) };
  }
}

/** The values hmm-tests writes: word i of the buffer holds i, so page p starts with p * WORDS. */
export const iota = (npages: number, f: (p: number) => number = (p) => p * WORDS): number[] =>
  Array.from({ length: npages }, (_x, p) => f(p));
