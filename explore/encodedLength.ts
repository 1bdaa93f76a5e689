// The length in words of an encoded state (segments.ts's layout): the header and every segment.
import { BODY, K, LENGTHS } from './segments.js';

export function encodedLength(words: Int32Array, at: number): number {
  let n = BODY;
  for (let k = 0; k < K; k++) n += words[at + LENGTHS + k] as number;
  return n;
}
