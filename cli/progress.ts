// Progress of a long run on stderr: a bar redrawn in place on a terminal, one summary line per
// interval otherwise (CI logs), nothing at all with --json.
import type { ChunkProgress } from '../check/runChunks.js';
import type { Io } from './io.js';

export interface Progress {
  update(p: ChunkProgress): void;
  done(): void;
}

export interface ProgressOptions {
  totalRuns: number;
  /** Seconds of the --time budget, when there is one. */
  budget?: number;
  /** Seconds between summary lines when stderr is not a terminal; 0 for none. */
  interval: number;
  quiet: boolean;
}

export function makeProgress(
  io: Io,
  o: ProgressOptions,
  now: () => number = () => performance.now(),
): Progress {
  const t0 = now();
  let last = t0;
  let drawn = false;
  const line = (p: ChunkProgress): string => {
    const secs = (now() - t0) / 1000;
    const rate = Math.round(p.runs / Math.max(secs, 1e-3));
    return `${p.runs}/${o.totalRuns} runs, ${secs.toFixed(1)} s, ${rate} runs/s, ${p.violations} violation${p.violations === 1 ? '' : 's'}`;
  };
  if (o.quiet) return { update() {}, done() {} };
  const tty = io.tty;
  if (tty)
    return {
      update(p) {
        const frac = Math.min(1, o.budget ? (now() - t0) / 1000 / o.budget : p.runs / o.totalRuns);
        const bar = '#'.repeat(Math.round(frac * 24)).padEnd(24, '.');
        tty(`\r\x1b[2K[${bar}] ${line(p)}`);
        drawn = true;
      },
      done() {
        if (drawn) tty('\r\x1b[2K');
      },
    };
  return {
    update(p) {
      if (o.interval <= 0 || now() - last < o.interval * 1000) return;
      last = now();
      io.err(`svmcheck run: ${line(p)}`);
    },
    done() {},
  };
}
