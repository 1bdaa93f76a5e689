// The layout of an encoded state (StateCodec writes it, decodeState reads it): three fresh-name
// counters, the explorer's word, one 64-bit hash and one length per segment, then the segments.
// A segment holds what one write-marked region of the state (model/touched.ts) holds, so a
// step's marks say which segments it may have changed; three more hold lockdep's dependencies, the
// activities (a step changes only its own: test/touched.test.ts checks it) and the rest.
import type { State } from '../model/types.js';
import { ALL_REGIONS, REGION_BITS, REGION_FIELDS, type Region } from '../model/touched.js';

/** Not a region of the state: the lock-class dependencies the path recorded (the explorer knows when a step adds one). */
export const EDGES = 1 << 30;

/**
 * The rest (locks, migrations, counters, pages to free): no mark says which steps write it, so it
 * is always encoded and decoded again.
 */
export const REST = 1 << 29;

/**
 * The activities: a step changes the one it steps (and adds those it spawns), never another, so
 * the others' words are copied from the parent and their decoded objects kept.
 */
export const ACTS = 1 << 28;

/** The regions in the order their segments are stored, first. */
const REGIONS: readonly Region[] = ['pages', 'mm', 'notifiers', 'cells', 'gpu', 'drv', 'uapi', 'sync'];
if (REGIONS.reduce((a, r) => a | REGION_BITS[r], 0) !== ALL_REGIONS)
  throw new Error('segments: every region needs a segment');

/** The segments in the order they are stored, by the region (or other bit) whose writes change them. */
export const SEGMENTS: readonly number[] = [...REGIONS.map((r) => REGION_BITS[r]), EDGES, ACTS, REST];
/** How many segments, from the first, are regions of the state. */
export const REGION_SEGMENTS = REGIONS.length;
/** The State fields of each region segment, in the order they are stored. */
export const SEGMENT_FIELDS: readonly (readonly (keyof State)[])[] = REGIONS.map((r) => REGION_FIELDS[r]);
export const K = SEGMENTS.length;
/** Where the segment hashes (hi, lo per segment) start. */
export const HASHES = 4;
/** Where the segment lengths start. */
export const LENGTHS = HASHES + 2 * K;
/** Where the first segment's words start. */
export const BODY = LENGTHS + K;
/** Every segment: what a step with unknown writes counts as having written. */
export const ALL_SEGMENTS = SEGMENTS.reduce<number>((a, b) => a | b, 0);
