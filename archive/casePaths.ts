import { join } from 'node:path';
import type { CounterexampleFile } from './counterexampleFile.js';

/**
 * Where a case lives in an archive directory: the driver's name made file-safe and the
 * fingerprint's first 12 hex digits, as NAME-FINGERPRINT.json with its report NAME-FINGERPRINT.md.
 */
export function casePaths(
  dir: string,
  cx: Pick<CounterexampleFile, 'driver' | 'fingerprint'>,
): { json: string; report: string } {
  const slug =
    cx.driver.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'driver';
  const stem = `${slug.slice(0, 60)}-${cx.fingerprint.slice(0, 12)}`;
  return { json: join(dir, `${stem}.json`), report: join(dir, `${stem}.md`) };
}
