// The moves partial-order reduction may take alone (explore/Expander.ts, --reduce): a step of one
// activity that reads and writes nothing but that activity's own frames. Such a step commutes with
// every move any other activity or agent can make, in every state (no other step reads or writes
// another activity's frames: test/touched.test.ts checks that a step changes only its own
// activity), stays enabled until its activity takes it (its activity waits on nothing, and no
// other step can make it wait), and no checked invariant sees it (it writes no region, no unmarked
// state, no lockdep dependency, emits no event an invariant reads, keeps its activity's frames'
// procedures, and changes no frame of a procedure an invariant looks into). So {that step} is a
// persistent set that is invisible: conditions C0-C2 of an ample set (Clarke, Grumberg, Peled,
// "Model Checking", ch. 10). The cycle condition C3 is the Expander's (see there).
import type { Activity, State } from '../model/types.js';
import type { Invariant } from '../properties/invariant.js';
import { EVENT_KIND_BITS, eventKinds } from '../model/eventKinds.js';
import type { Applied } from './Transitions.js';

/** What a step may read (constants, the fault stream's position, the empty page-free queue) and assign (that position). */
const LOCAL_ACCESS: ReadonlySet<string> = new Set([
  'cfg',
  'vramBase',
  'faultIdx',
  '=faultIdx',
  'pagesToFree',
]);

/** What the checked invariants read that a local step could change: its activity's frames. */
export interface LocalStepRules {
  /** The event kinds some invariant reads. */
  events: number;
  /** Procedures whose frames some invariant looks into; null: some invariant reads every frame. */
  frames: ReadonlySet<string> | null;
}

export function localStepRules(invariants: readonly Invariant[]): LocalStepRules {
  let events = 0;
  const frames = new Set<string>();
  let everyFrame = false;
  for (const inv of invariants) {
    for (const k of inv.events ?? []) events |= EVENT_KIND_BITS[k];
    for (const p of inv.readsFrames ?? []) frames.add(p);
    const un = inv.readsUnmarked ?? [];
    if (un.includes('acts.frames') && !inv.readsFrames) everyFrame = true;
    // One that declares nothing (a user's invariant) may read anything, the stepped frames too.
    if (!inv.reads && !inv.readsUnmarked && !inv.events) everyFrame = true;
  }
  return { events, frames: everyFrame ? null : frames };
}

/** What a local step must leave as it was: its activity's wait, locks, CPU, binding and procedures. */
export interface ActBefore {
  acts: number;
  held: string;
  cpu: number;
  bound: number;
  spin: boolean;
  fns: string;
}

const fnsOf = (a: Activity): string => a.frames.map((f) => f.fn).join(' ');
const watchedIn = (a: Activity, rules: LocalStepRules): boolean =>
  rules.frames === null || a.frames.some((f) => (rules.frames as ReadonlySet<string>).has(f.fn));

/**
 * The activity before its step, or null when its step cannot be local: it waits (another step could
 * keep it waiting), CPUs are explicit (another step could take its CPU), or an invariant looks into
 * its frames.
 */
export function actBefore(s: State, a: Activity, rules: LocalStepRules): ActBefore | null {
  if (a.wait !== null || s.cfg.cpus !== undefined || s.pagesToFree.length !== 0 || watchedIn(a, rules))
    return null;
  return {
    acts: s.acts.length,
    held: a.held.join(' '),
    cpu: a.cpu,
    bound: a.bound,
    spin: a.spin,
    fns: fnsOf(a),
  };
}

/**
 * Whether the step just applied (`r`, from the state `before` describes, the step's own accesses
 * in `access`, `edgesGrew` when it recorded a lockdep dependency) is local.
 */
export function isLocalStep(
  rules: LocalStepRules,
  before: ActBefore,
  r: Applied,
  access: ReadonlySet<string>,
  edgesGrew: boolean,
): boolean {
  if (r.thrown !== null || r.consumed !== 0 || r.written !== 0 || edgesGrew) return false;
  for (const k of access) if (!LOCAL_ACCESS.has(k)) return false;
  if ((eventKinds(r.events) & rules.events) !== 0) return false;
  const s = r.s;
  if (s.acts.length !== before.acts || s.pagesToFree.length !== 0) return false;
  const a = s.acts.find((x) => x.id === r.stepped);
  if (!a || a.wait !== null || a.cpu !== before.cpu || a.bound !== before.bound) return false;
  if (a.held.join(' ') !== before.held || fnsOf(a) !== before.fns || a.spin !== before.spin) return false;
  return !watchedIn(a, rules);
}
