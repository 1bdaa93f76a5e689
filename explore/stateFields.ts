// How the canonical state hash treats every field of every record in State. Each record lists all
// of its fields, so a field added to the model fails to compile here until someone decides whether
// it affects the future (hashed), is the same in every state (constant), hands out fresh names
// (stored: kept in the words but not hashed) or is history (left out). Nothing is renumbered (see
// StateCodec.ts for why); records of plain data below `hashed` are encoded exactly, key order included.
import type {
  Activity,
  Cell,
  Frame,
  LockState,
  Migration,
  MigratePfn,
  Notifier,
  Page,
  Process,
  Shm,
  State,
  SvmAttrs,
  Uapi,
  Vma,
} from '../model/types.js';
import type { Bo, Fence, Job, SyncState } from '../model/fence/types.js';

/**
 * - hashed: as it is;
 * - constant: the same in every state of one exploration;
 * - stored: a counter handing out fresh names, restored on decode but not hashed;
 * - history: does not affect any future step, invariant or transition the explorer offers.
 */
export type FieldTreatment = 'hashed' | 'constant' | 'stored' | 'history';

type Fields<T> = Record<keyof T, FieldTreatment>;

export const STATE_FIELDS = {
  State: {
    cfg: 'constant',
    writeSeq: 'stored',
    phys: 'hashed',
    vramBase: 'constant',
    procs: 'hashed',
    shms: 'hashed',
    cells: 'hashed',
    notifiers: 'hashed',
    gpuPt: 'hashed',
    migrations: 'hashed',
    nextMig: 'stored',
    // Sorted by name: nothing iterates the lock table, so its insertion order is history.
    locks: 'hashed',
    acts: 'hashed',
    nextAct: 'stored',
    // The explorer branches on every fault entry with the same choices, wherever the stream stands.
    faultIdx: 'history',
    // Driver-defined plain data: encoded generically and exactly (GPU indices in it are not renumbered).
    drv: 'hashed',
    pagesToFree: 'hashed',
    // Cleared after each step's invariants, as the executor does; hashed in case a step leaves some.
    reinitialised: 'hashed',
    // Sorted by key, as locks.
    counters: 'hashed',
    uapi: 'hashed',
    sync: 'hashed',
  } satisfies Fields<State>,
  Page: {
    gpu: 'hashed',
    free: 'hashed',
    data: 'hashed',
    ref: 'hashed',
    map: 'hashed',
    pin: 'hashed',
    shm: 'hashed',
    owner: 'hashed',
    zdd: 'hashed',
    ax: 'hashed',
    head: 'hashed',
    lru: 'hashed',
  } satisfies Fields<Page>,
  Process: {
    pid: 'hashed',
    alive: 'hashed',
    parent: 'hashed',
    vmas: 'hashed',
    pt: 'hashed',
    cell: 'hashed',
    mmSeq: 'hashed',
    mmActive: 'hashed',
    unmapping: 'hashed',
    pmds: 'hashed',
    hpmd: 'hashed',
    evicted: 'hashed',
    exited: 'hashed',
    exiting: 'hashed',
    mmRefs: 'hashed',
  } satisfies Fields<Process>,
  Vma: {
    start: 'hashed',
    end: 'hashed',
    prot: 'hashed',
    shm: 'hashed',
    pgoff: 'hashed',
    anon: 'hashed',
  } satisfies Fields<Vma>,
  Shm: { pages: 'hashed', cells: 'hashed', users: 'hashed' } satisfies Fields<Shm>,
  Cell: { v: 'hashed' } satisfies Fields<Cell>,
  Notifier: {
    id: 'hashed',
    pid: 'hashed',
    start: 'hashed',
    end: 'hashed',
    seq: 'hashed',
    tag: 'hashed',
    alive: 'hashed',
  } satisfies Fields<Notifier>,
  Migration: {
    id: 'hashed',
    pid: 'hashed',
    start: 'hashed',
    owner: 'hashed',
    src: 'hashed',
    dst: 'hashed',
    faultPage: 'hashed',
    done: 'hashed',
    cpages: 'hashed',
    // The fault entry drawn at setup, read again by migrate_vma_pages.
    fault: 'hashed',
  } satisfies Fields<Migration>,
  MigratePfn: {
    page: 'hashed',
    migrate: 'hashed',
    w: 'hashed',
    hole: 'hashed',
    compound: 'hashed',
  } satisfies Fields<MigratePfn>,
  LockState: { w: 'hashed', r: 'hashed' } satisfies Fields<LockState>,
  Activity: {
    id: 'hashed',
    agent: 'hashed',
    // Only its sign (program operation or spawned work); the explorer's index is its path.
    op: 'hashed',
    frames: 'hashed',
    wait: 'hashed',
    held: 'hashed',
    // Only the program executor's default choice reads it; the explorer tries every runnable activity.
    spin: 'history',
    cpu: 'hashed',
    bound: 'hashed',
  } satisfies Fields<Activity>,
  Frame: { fn: 'hashed', pc: 'hashed', l: 'hashed', r: 'hashed' } satisfies Fields<Frame>,
  SvmAttrs: {
    preferred: 'hashed',
    prefetch: 'hashed',
    gran: 'hashed',
    flags: 'hashed',
    access: 'hashed',
    aip: 'hashed',
  } satisfies Fields<SvmAttrs>,
  // The uAPI ghost is encoded generically, as plain data: defaultGran too (the same in every state).
  Uapi: {
    attrs: 'hashed',
    gpuvm: 'hashed',
    inflight: 'hashed',
    defaultGran: 'hashed',
  } satisfies Fields<Uapi>,
  SyncState: { fences: 'hashed', jobs: 'hashed', bos: 'hashed' } satisfies Fields<SyncState>,
  Fence: {
    id: 'hashed',
    kind: 'hashed',
    job: 'hashed',
    signaled: 'hashed',
    ready: 'hashed',
  } satisfies Fields<Fence>,
  Job: {
    id: 'hashed',
    gpu: 'hashed',
    engine: 'hashed',
    reserved: 'hashed',
    fence: 'hashed',
    deps: 'hashed',
    work: 'hashed',
    user: 'hashed',
    bo: 'hashed',
    act: 'hashed',
  } satisfies Fields<Job>,
  Bo: {
    id: 'hashed',
    pid: 'hashed',
    gpu: 'hashed',
    idx: 'hashed',
    released: 'hashed',
    page: 'hashed',
    fences: 'hashed',
  } satisfies Fields<Bo>,
} as const;
