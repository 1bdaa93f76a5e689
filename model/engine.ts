// The transition system: the initial state, the procedure table, and one scheduler step of one
// activity (run it until its next preemption point, block or end). Which activity steps next is
// the caller's choice: the program executor takes it from the generated schedule, the explorer
// tries every one.
import type { Driver } from './driver.js';
import { driverProcName } from './driver.js';
import { emptyLockTable, waitSatisfied } from './locks.js';
import { cpuFor, givesUpCpu, needsCpu, preemptModel, type StepEnd } from './cpus.js';
import type { Env, Proc } from './proc.js';
import type { Activity, Config, Page, Pte, State } from './types.js';
import { directReclaim } from './fence/directReclaim.js';
import { fenceWaitIoctl } from './fence/fenceWaitIoctl.js';
import { gpuJob } from './fence/gpuJob.js';
import { submitIoctl } from './fence/submitIoctl.js';
import { cpuAccess } from './kernel/cpu_access.js';
import { handleMmFault } from './kernel/fault.js';
import { gpuAccess } from './kernel/gpu_access.js';
import { gpuFaultHandler } from './kernel/gpuFaultHandler.js';
import { hmmRangeFault } from './kernel/hmm.js';
import { mmuInvalidateStart } from './kernel/invalidate.js';
import { migrateVmaPages, migrateVmaSetup } from './kernel/migrate.js';
import { runOp } from './kernel/ops.js';
import { runProcRoot } from './kernel/run_proc.js';
import { sysMadviseDontneedExact } from './kernel/madvise_exact.js';
import { makeDeviceExclusiveRange } from './kernel/make_device_exclusive.js';
import { makeDeviceExclusive } from './kernel/make_device_exclusive_page.js';
import { migrateDeviceRange } from './kernel/migrate_device_range.js';
import { lruAddDrainAll, lruAddDrainPerCpu } from './kernel/lruBatch.js';
import { deviceUnbind } from './kernel/deviceUnbind.js';
import { migrateIoctl } from './kernel/migrateIoctl.js';
import { sysMprotectExact } from './kernel/mprotect_exact.js';
import { uapiGpuvmMap, uapiSvmGetAttr, uapiSvmSetAttr } from './kernel/svmUapi.js';
import {
  exitMmap,
  sysExit,
  sysFork,
  sysMadviseDontneed,
  sysMmap,
  sysMprotect,
  sysMunmap,
} from './kernel/syscalls.js';
import { filled } from './filled.js';
import { PAGES, mut } from './touched.js';
import { KernelOops } from './kernelOops.js';

const CORE_PROCS: readonly Proc[] = [
  cpuAccess,
  gpuAccess,
  handleMmFault,
  hmmRangeFault,
  makeDeviceExclusiveRange,
  makeDeviceExclusive,
  migrateDeviceRange,
  deviceUnbind,
  migrateIoctl,
  mmuInvalidateStart,
  migrateVmaSetup,
  migrateVmaPages,
  runOp,
  runProcRoot,
  sysExit,
  exitMmap,
  sysFork,
  sysMadviseDontneed,
  sysMadviseDontneedExact,
  sysMmap,
  sysMprotect,
  sysMprotectExact,
  sysMunmap,
  uapiGpuvmMap,
  uapiSvmGetAttr,
  uapiSvmSetAttr,
  gpuFaultHandler,
  gpuJob,
  submitIoctl,
  fenceWaitIoctl,
  directReclaim,
  lruAddDrainAll,
  lruAddDrainPerCpu,
];

export function procTable(driver: Driver): Map<string, Proc> {
  const t = new Map<string, Proc>();
  for (const p of CORE_PROCS) t.set(p.name, p);
  // A kernel patch (--kernel-patch) replaces core procedures by name for this driver's runs.
  for (const p of driver.kernelPatch?.procs ?? []) t.set(p.name, p);
  for (const [name, p] of Object.entries(driver.procs)) t.set(driverProcName(name), p);
  return t;
}

/** The core procedure `name` as the model has it (what a kernel patch starts from), or undefined. */
export function coreProc(name: string): Proc | undefined {
  return CORE_PROCS.find((p) => p.name === name);
}

export function initialState(cfg: Config, driver: Driver): State {
  const phys: Page[] = [];
  const blank = (gpu: number, owner: number): Page => ({
    gpu,
    free: true,
    data: 0,
    ref: 0,
    map: 0,
    pin: 0,
    shm: -1,
    owner,
    zdd: -1,
  });
  for (let i = 0; i < cfg.sysPages; i++) phys.push(blank(-1, -1));
  const zero = mut(PAGES, phys[0] as Page);
  zero.free = false;
  zero.ref = 1;
  const vramBase: number[] = [];
  cfg.gpus.forEach((g, gi) => {
    vramBase.push(phys.length);
    for (let i = 0; i < g.vram; i++) phys.push(blank(gi, driver.pgmapOwner(cfg, gi)));
  });
  const n = cfg.vaPages;
  return {
    cfg,
    writeSeq: 0,
    phys,
    vramBase,
    procs: [
      {
        pid: 0,
        alive: true,
        parent: -1,
        vmas: [],
        pt: filled<Pte>(n, null),
        cell: filled<number>(n, -1),
        mmSeq: 2,
        mmActive: 0,
        unmapping: [],
      },
    ],
    shms: [],
    cells: [],
    notifiers: [],
    gpuPt: cfg.gpus.map(() => [filled<null>(n, null)]),
    migrations: [],
    nextMig: 0,
    locks: emptyLockTable(),
    acts: [],
    nextAct: 0,
    faultIdx: 0,
    drv: driver.init(cfg),
    pagesToFree: [],
    reinitialised: [],
    counters: {},
    uapi: {
      attrs: {},
      gpuvm: {},
      inflight: [],
      ...(driver.defaultGranularity !== undefined ? { defaultGran: driver.defaultGranularity } : {}),
    },
    sync: { fences: [], jobs: [], bos: [] },
  };
}

export { spawn } from './spawn.js';

export function canRun(s: State, a: Activity): boolean {
  return a.wait === null || waitSatisfied(s, a.wait);
}

export type StepOutcome = 'yield' | 'blocked' | 'done';

/** Runs the driver's page_free for every device page that lost its last reference (it must not sleep). */
function drainPageFree(env: Env): void {
  const q = env.s.pagesToFree;
  while (q.length > 0) {
    const page = q.shift() as number;
    env.drv.pageFree?.(env, page);
  }
}

/** Limit on control transfers inside one atomic step: more means a loop with no preemption point. */
const MAX_TRANSFERS = 20_000;

/** Runs the activity until its next preemption point. The activity must be runnable. */
export function stepActivity(env: Env, a: Activity): StepOutcome {
  env.act = a;
  a.wait = null;
  a.spin = false;
  const s = env.s;
  if (s.cfg.cpus === undefined || !needsCpu(a)) return runSteps(env, a);
  const cpu = cpuFor(s, a);
  if (cpu < 0) throw new Error(`stepActivity: ${a.agent} has no CPU to run on`);
  a.cpu = cpu;
  const firstNew = s.nextAct;
  const out = runSteps(env, a);
  // Work the step queued on a per-CPU workqueue runs on this CPU (model/cpus.ts).
  for (const x of s.acts) if (x.id >= firstNew && x.agent === 'kworker' && x.bound < 0) x.bound = cpu;
  const end: StepEnd =
    out !== 'yield' ? 'sleep' : lastYield.busy ? 'busy' : lastYield.resched ? 'resched' : 'yield';
  if (givesUpCpu(preemptModel(s.cfg), end)) a.cpu = -1;
  return out;
}

/** The kind of the yield that ended the last step (read right after runSteps). */
const lastYield = { busy: false, resched: false };

function runSteps(env: Env, a: Activity): StepOutcome {
  for (let n = 0; n < MAX_TRANSFERS; n++) {
    const f = a.frames[a.frames.length - 1];
    if (!f) throw new Error(`activity ${a.id} has no frame`);
    const proc = env.procs.get(f.fn);
    if (!proc) throw new Error(`no procedure '${f.fn}'`);
    const h = proc.steps[f.pc];
    if (!h) throw new Error(`procedure '${f.fn}' has no step '${f.pc}'`);
    const r = h(env, f.l, f.r);
    drainPageFree(env);
    switch (r.k) {
      case 'goto':
        f.pc = r.pc;
        continue;
      case 'yield':
        f.pc = r.pc;
        a.spin = r.spin === true;
        lastYield.busy = r.busy === true;
        lastYield.resched = r.resched === true;
        return 'yield';
      case 'call':
        f.pc = r.pc;
        f.r = undefined;
        a.frames.push({ fn: r.fn, pc: 'start', l: r.args, r: undefined });
        continue;
      case 'ret': {
        a.frames.pop();
        const caller = a.frames[a.frames.length - 1];
        if (!caller) {
          if (a.held.length)
            // lockdep: "lock held when returning to user space!"
            throw new KernelOops('oops', {
              code: 'return-holding-locks',
              at: { act: a.id },
              data: { agent: a.agent, fn: f.fn, held: [...a.held] },
            });
          env.s.acts = env.s.acts.filter((x) => x !== a);
          return 'done';
        }
        caller.r = r.v;
        continue;
      }
      case 'block':
        a.wait = r.wait;
        return 'blocked';
    }
  }
  // A kernel loop with no preemption point: on a kernel that does not preempt (PREEMPT_NONE or
  // VOLUNTARY) the CPU never comes back; the soft-lockup watchdog reports it.
  throw new KernelOops('hang', {
    code: 'soft-lockup',
    at: { act: a.id },
    data: { agent: a.agent, transfers: MAX_TRANSFERS },
  });
}
