// How the canonical state hash treats every field of every record in State. Each record lists all
// of its fields, so a field added to the model fails to compile here until someone decides whether
// it affects the future (hashed), only names things (renumbered) or is history (left out).
import type {
  Activity,
  Frame,
  LockState,
  Migration,
  MigratePfn,
  Notifier,
  Page,
  Process,
  Shm,
  State,
  Vma,
} from '../model/types.js';

/**
 * - hashed: as it is;
 * - renumbered: an identity or a value that only matters up to equality, numbered by first
 *   occurrence in a fixed traversal (two states that differ only in the names match);
 * - constant: the same in every state of one exploration;
 * - history: does not affect any future step, invariant or transition the explorer offers.
 */
export type FieldTreatment = 'hashed' | 'renumbered' | 'constant' | 'history';

type Fields<T> = Record<keyof T, FieldTreatment>;

export const STATE_FIELDS = {
  State: {
    cfg: 'constant',
    // Every write stores a value no page or cell holds yet; values are renumbered, so the counter is history.
    writeSeq: 'history',
    phys: 'hashed',
    vramBase: 'constant',
    procs: 'hashed',
    shms: 'renumbered',
    cells: 'renumbered',
    notifiers: 'hashed',
    gpuPt: 'hashed',
    migrations: 'hashed',
    // Migration ids are only looked up, never compared with anything else; the next one is always fresh.
    nextMig: 'history',
    locks: 'hashed',
    acts: 'renumbered',
    nextAct: 'history',
    // The explorer branches on every fault entry with the same choices, wherever the stream stands.
    faultIdx: 'history',
    drv: 'hashed',
  } satisfies Fields<State>,
  Page: {
    gpu: 'constant',
    free: 'hashed',
    // Allocation resets the contents of a free page: only a dangling reference (itself a violation) sees them.
    data: 'renumbered',
    ref: 'hashed',
    map: 'hashed',
    pin: 'hashed',
    shm: 'renumbered',
    owner: 'constant',
  } satisfies Fields<Page>,
  Process: {
    pid: 'hashed',
    alive: 'hashed',
    parent: 'hashed',
    vmas: 'hashed',
    pt: 'hashed',
    cell: 'renumbered',
    mmSeq: 'hashed',
    mmActive: 'hashed',
    unmapping: 'hashed',
  } satisfies Fields<Process>,
  Vma: {
    start: 'hashed',
    end: 'hashed',
    prot: 'hashed',
    shm: 'renumbered',
    pgoff: 'hashed',
  } satisfies Fields<Vma>,
  Shm: { pages: 'hashed', cells: 'renumbered', users: 'hashed' } satisfies Fields<Shm>,
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
  } satisfies Fields<Migration>,
  MigratePfn: { page: 'hashed', migrate: 'hashed', w: 'hashed', hole: 'hashed' } satisfies Fields<MigratePfn>,
  LockState: { w: 'renumbered', r: 'renumbered' } satisfies Fields<LockState>,
  Activity: {
    id: 'renumbered',
    agent: 'hashed',
    // The index of the program operation that started it: the explorer's path, not its state.
    op: 'history',
    frames: 'hashed',
    wait: 'hashed',
    held: 'hashed',
    // Only the program executor's default choice reads it; the explorer tries every runnable activity.
    spin: 'history',
  } satisfies Fields<Activity>,
  Frame: { fn: 'hashed', pc: 'hashed', l: 'hashed', r: 'hashed' } satisfies Fields<Frame>,
} as const;
