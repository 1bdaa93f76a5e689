// The explorer's manifest of expected results (explore/manifest.json): reading it, and holding an
// exploration the tests ran to the entry recorded for it.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ExploreResult } from '../explore/explore.js';
import { manifestEntry, type ManifestEntry } from '../explore/manifestEntry.js';

const PATH = new URL('../explore/manifest.json', import.meta.url);

export function readManifest(): ManifestEntry[] {
  return (JSON.parse(readFileSync(PATH, 'utf8')) as { entries: ManifestEntry[] }).entries;
}

/** The identity of an entry: what was explored (the figures are what it found). */
export const manifestKey = (
  e: Pick<ManifestEntry, 'driver' | 'scope' | 'kernel' | 'depth' | 'symmetry' | 'reduction' | 'ids'>,
): string =>
  `${e.driver} ${e.scope} ${e.kernel} ${e.depth} ${e.symmetry ? 'symmetry' : 'no-symmetry'} ${e.reduction} ${e.ids}`;

/** The exploration covered and concluded exactly what the manifest records for it. */
export function expectAsManifest(r: ExploreResult, kernel: string): void {
  const got = manifestEntry(r, kernel);
  const want = readManifest().find((e) => manifestKey(e) === manifestKey(got));
  expect(
    got,
    `explore/manifest.json: ${manifestKey(got)} covered other states than recorded (a change to the model, a driver or the state codec merged or split states): if that is intended, run npm run explore:manifest and commit the diff with the change`,
  ).toEqual(want);
}
