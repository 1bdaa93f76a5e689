// The identity of a counterexample: which invariant broke and on exactly which minimized program.
import { createHash } from 'node:crypto';
import type { Program } from '../model/program.js';
import { canonicalJson } from './canonicalJson.js';

/** sha256 (hex) over the invariant id, a newline, and the canonical JSON of the minimized program. */
export function fingerprint(invariant: string, program: Program): string {
  return createHash('sha256')
    .update(`${invariant}\n${canonicalJson(program)}`)
    .digest('hex');
}
