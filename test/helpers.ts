import { execute, type ExecResult } from '../check/execute.js';
import { mirror } from '../drivers/mirror.js';
import type { Driver } from '../model/driver.js';
import type { Event } from '../model/events.js';
import type { Op } from '../model/ops.js';
import type { Program } from '../model/program.js';
import type { Config } from '../model/types.js';

export const oneGpu: Config = {
  vaPages: 8,
  sysPages: 40,
  maxProcs: 3,
  gpus: [{ mem: 'private', vram: 3, hive: 0 }],
};
export const twoGpus: Config = {
  ...oneGpu,
  gpus: [
    { mem: 'private', vram: 3, hive: 0 },
    { mem: 'private', vram: 3, hive: 1 },
  ],
};

export function run(
  ops: Op[],
  opts: { config?: Config; driver?: Driver; schedule?: number[]; faults?: number[] } = {},
): ExecResult {
  const program: Program = {
    config: opts.config ?? oneGpu,
    ops,
    schedule: opts.schedule ?? [],
    faults: opts.faults ?? [],
  };
  return execute(opts.driver ?? mirror, program, { trace: true });
}

export function events(r: ExecResult): Event[] {
  return r.trace.flatMap((t) => t.events);
}

export function eventsOf<K extends Event['e']>(r: ExecResult, kind: K): Array<Extract<Event, { e: K }>> {
  return events(r).filter((e): e is Extract<Event, { e: K }> => e.e === kind);
}

/** svm_set_attr (process 0, CPU 0) over the first `len` pages of VMA 0. */
export const setAttr = (attrs: Extract<Op, { op: 'svm_set_attr' }>['attrs'], len = 1): Op => ({
  op: 'svm_set_attr',
  on: 0,
  proc: 0,
  vma: 0,
  off: 0,
  len,
  attrs,
});

export const mmap = (pages: number, extra: Partial<Extract<Op, { op: 'mmap' }>> = {}): Op => ({
  op: 'mmap',
  on: 0,
  proc: 0,
  pages,
  prot: 'rw',
  shared: false,
  ...extra,
});
export const cpuWrite = (off: number, extra: Partial<Op> = {}): Op =>
  ({ op: 'cpu_write', on: 0, proc: 0, vma: 0, off, ...extra }) as Op;
export const cpuRead = (off: number, extra: Partial<Op> = {}): Op =>
  ({ op: 'cpu_read', on: 0, proc: 0, vma: 0, off, ...extra }) as Op;
export const gpuWrite = (off: number, gpu = 0, extra: Partial<Op> = {}): Op =>
  ({ op: 'gpu_write', gpu, proc: 0, vma: 0, off, ...extra }) as Op;
export const gpuRead = (off: number, gpu = 0, extra: Partial<Op> = {}): Op =>
  ({ op: 'gpu_read', gpu, proc: 0, vma: 0, off, ...extra }) as Op;
export const migrate = (off: number, len: number, to: 'dev' | 'sys', gpu = 0): Op => ({
  op: 'migrate',
  on: 0,
  gpu,
  proc: 0,
  vma: 0,
  off,
  len,
  to,
});
