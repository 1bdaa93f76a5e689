// One bit per event kind, so a step's events can be summarized in one number: an invariant that
// reads only some kinds (Invariant.events) is skipped after a step that emitted none of them.
import type { Event } from './events.js';

export type EventKind = Event['e'];

const KINDS: Readonly<Record<EventKind, true>> = {
  'cpu-read': true,
  'cpu-write': true,
  'gpu-read': true,
  'gpu-write': true,
  sigsegv: true,
  'gpu-fault': true,
  'gpu-error': true,
  'gpu-map': true,
  'gpu-zap': true,
  notify: true,
  hmm: true,
  migrate: true,
  syscall: true,
  retry: true,
  'svm-set-attr': true,
  'svm-get-attr': true,
  'svm-window': true,
  'svm-range': true,
  'job-submit': true,
  'fence-wait': true,
  'fence-signal': true,
  'resv-lock': true,
  alloc: true,
  'bo-evict': true,
  warn: true,
  queues: true,
};

if (Object.keys(KINDS).length > 31) throw new Error('eventKinds: more event kinds than bits');

/** The bit of each kind (a Record over the union: a new kind does not compile until it has one). */
export const EVENT_KIND_BITS: Readonly<Record<EventKind, number>> = Object.fromEntries(
  Object.keys(KINDS).map((k, i) => [k, 1 << i]),
) as Record<EventKind, number>;

/** The kinds among `events`, as bits. */
export function eventKinds(events: readonly Event[]): number {
  let bits = 0;
  for (let i = 0; i < events.length; i++) bits |= EVENT_KIND_BITS[(events[i] as Event).e];
  return bits;
}
