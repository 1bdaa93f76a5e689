// A workload plan under a policy → a Program: the mmaps (a thread arena as a PROT_NONE reservation
// made read-write in part, as glibc's new_heap does), the policy's set_attr over every VMA, then
// the plan's steps, with a prefetch before each GPU phase when the policy asks for one. Each
// operation gets a phase (check/execute.ts's barriers): the setup, then a new phase at each kernel
// launch and where CPU work follows GPU work, as the program synchronises with its GPUs. Within a
// phase the CPU threads, the GPUs and the kernel's workers run concurrently (the comparison picks
// the interleaving from the run's seed: check/measureCosts.ts).
import type { CostPolicy } from '../../drivers/costPolicies/costPolicy.js';
import type { Op } from '../../model/ops.js';
import type { KernelVersion } from '../../model/kernelVersion.js';
import type { Program } from '../../model/program.js';
import type { PageRef, WorkloadPlan } from './workloadPlan.js';

/** Address space, RAM and VRAM of a comparison run, in 4 KiB pages. */
export const COMPARE_VA_PAGES = 1024;
const SYS_PAGES = 2048;
const VRAM_PAGES = 768;

/** Runs of consecutive pages of one VMA, as [vma, first page, count]. */
function runsOf(pages: readonly PageRef[]): [number, number, number][] {
  const sorted = [...pages].sort((a, b) => a.vma - b.vma || a.off - b.off);
  const out: [number, number, number][] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && last[0] === p.vma && last[1] + last[2] === p.off) last[2]++;
    else out.push([p.vma, p.off, 1]);
  }
  return out;
}

export interface CompiledWorkload {
  readonly program: Program;
  /** The phase of each operation (ExecOptions.phases). */
  readonly phases: readonly number[];
}

export function compileWorkload(
  plan: WorkloadPlan,
  policy: CostPolicy,
  kernel: KernelVersion,
): CompiledWorkload {
  const ops: Op[] = [];
  const phases: number[] = [];
  let phase = 0;
  let gpuSide = false;
  let mark = 0;
  // Everything pushed since the last mark belongs to the current phase.
  const close = (): void => {
    for (; mark < ops.length; mark++) phases.push(phase);
  };
  // A reservation's PROT_NONE tail is a VMA of its own right after its mapping.
  const index: number[] = [];
  let next = 0;
  for (const v of plan.vmas) {
    index.push(next);
    next += v.reserve > 0 ? 2 : 1;
  }
  // A plan VMA number past the plan's VMAs is a short-lived mapping after them (first fit).
  const vma = (i: number): number => index[i] ?? next + i - plan.vmas.length;
  plan.vmas.forEach((v, i) => {
    ops.push({
      op: 'mmap',
      on: 0,
      proc: 0,
      pages: v.pages + v.reserve,
      prot: v.reserve ? 'none' : 'rw',
      shared: false,
    });
    if (v.reserve)
      ops.push({ op: 'mprotect', on: 0, proc: 0, vma: vma(i), off: 0, len: v.pages, prot: 'rw' });
  });
  const attrs = policy.register;
  if (attrs)
    plan.vmas.forEach((v, i) => {
      ops.push({ op: 'svm_set_attr', on: 0, proc: 0, vma: vma(i), off: 0, len: v.pages, attrs: [...attrs] });
    });
  close();
  for (const st of plan.steps) {
    // A launch opens a phase for its prefetch, its first access one for the kernel; CPU work
    // after GPU work waits for the kernel.
    // A CPU access `during` the GPU phase joins it: the thread runs beside the kernel.
    const gpuStep = st.k === 'gpu' || ('during' in st && st.during === true);
    if (phase === 0 || st.k === 'launch' || gpuStep !== gpuSide) phase++;
    gpuSide = gpuStep;
    switch (st.k) {
      case 'cpu':
        ops.push({
          op: st.write ? 'cpu_write' : 'cpu_read',
          on: st.on,
          proc: st.proc,
          vma: vma(st.vma),
          off: st.off,
        });
        break;
      case 'gpu':
        ops.push({
          op: st.write ? 'gpu_write' : 'gpu_read',
          gpu: st.gpu,
          proc: st.proc,
          vma: vma(st.vma),
          off: st.off,
        });
        break;
      case 'launch':
        // KFD_IOCTL_SVM_ATTR_PREFETCH_LOC: set_attr migrates the pages and maps them to the GPUs.
        if (policy.prefetch && attrs)
          for (const [v, off, len] of runsOf(st.pages))
            ops.push({
              op: 'svm_set_attr',
              on: 0,
              proc: st.proc,
              vma: vma(v),
              off,
              len,
              attrs: [{ t: 'prefetch', v: st.gpu + 1 }],
            });
        break;
      case 'prefer':
        if (attrs && policy.hints)
          ops.push({
            op: 'svm_set_attr',
            on: st.on,
            proc: st.proc,
            vma: vma(st.vma),
            off: st.off,
            len: st.len,
            attrs: [{ t: 'preferred', v: st.gpu + 1 }],
          });
        break;
      case 'mmap':
        ops.push({ op: 'mmap', on: st.on, proc: st.proc, pages: st.pages, prot: 'rw', shared: false });
        break;
      case 'munmap':
        ops.push({ op: 'munmap', on: st.on, proc: st.proc, vma: next, off: 0, len: st.pages });
        break;
      case 'fork':
        ops.push({ op: 'fork', on: st.on, proc: st.proc });
        break;
      case 'exit':
        ops.push({ op: 'exit', on: st.on, proc: st.proc });
        break;
      default: {
        const unhandled: never = st;
        return unhandled;
      }
    }
    close();
  }
  const program: Program = {
    config: {
      vaPages: COMPARE_VA_PAGES,
      sysPages: SYS_PAGES,
      gpus: plan.hives.map((hive) => ({ mem: 'private', vram: VRAM_PAGES, hive })),
      maxProcs: 2,
      kernel,
    },
    ops,
    schedule: [],
    faults: [],
  };
  return { program, phases };
}
