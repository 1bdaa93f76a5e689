// The layout of an encoded state (StateCodec writes it, decodeState reads it): three fresh-name
// counters, the explorer's word, one 64-bit hash and one length per segment, then the segments.
// A segment holds what one write-marked region of the state (model/touched.ts) holds, so a
// step's marks say which segments it may have changed; three more hold lockdep's dependencies, the
// activities (a step changes only its own: test/touched.test.ts checks it) and the rest.
import type { State } from '../model/types.js';
import {
  ALL_REGIONS,
  CELLS,
  DRV,
  GPU,
  MM,
  NOTIFIERS,
  PAGES,
  REGION_BITS,
  REGION_FIELDS,
  SYNC,
  UAPI,
  type Region,
} from '../model/touched.js';

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

/** The segments in the order they are stored, by the region whose writes change them: the regions first. */
export const SEGMENTS = [PAGES, MM, NOTIFIERS, CELLS, GPU, DRV, UAPI, SYNC, EDGES, ACTS, REST] as const;
/** How many segments, from the first, are regions of the state. */
export const REGION_SEGMENTS = 8;
/** The State fields of each region segment, in the order they are stored. */
export const SEGMENT_FIELDS: readonly (readonly (keyof State)[])[] = SEGMENTS.slice(0, REGION_SEGMENTS).map(
  (bit) => {
    const region = (Object.keys(REGION_BITS) as Region[]).find((r) => REGION_BITS[r] === bit);
    if (!region) throw new Error(`segments: no region has bit ${bit}`);
    return REGION_FIELDS[region];
  },
);
if (SEGMENTS.slice(0, REGION_SEGMENTS).reduce<number>((a, b) => a | b, 0) !== ALL_REGIONS)
  throw new Error('segments: every region needs a segment');
export const K = SEGMENTS.length;
/** Where the segment hashes (hi, lo per segment) start. */
export const HASHES = 4;
/** Where the segment lengths start. */
export const LENGTHS = HASHES + 2 * K;
/** Where the first segment's words start. */
export const BODY = LENGTHS + K;
/** Every segment: what a step with unknown writes counts as having written. */
export const ALL_SEGMENTS = SEGMENTS.reduce<number>((a, b) => a | b, 0);
