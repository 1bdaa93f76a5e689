// The main thread's watch over a worker running a driver loaded by path: a driver step (plain
// JavaScript) that has not returned after the timeout is a loop in the driver, not a slow run.
// A thread stuck in JavaScript cannot be interrupted from inside; the worker is terminated.
import { HEARTBEAT_WORDS, type Heartbeat } from './guardDriver.js';

/** Why a worker was stopped: the step that did not return, in the driver's words. */
export class DriverHang extends Error {
  override name = 'DriverHang';
}

export interface StepWatchdog {
  beat: Heartbeat;
  stop(): void;
}

/**
 * Polls `beat` every quarter of the timeout (at most every second); calls `onHang` once with the
 * step's name when the same driver step has been running for `timeoutMs`.
 */
export function stepWatchdog(
  timeoutMs: number,
  names: readonly string[],
  onHang: (e: DriverHang) => void,
): StepWatchdog {
  const beat: Heartbeat = new Int32Array(new SharedArrayBuffer(HEARTBEAT_WORDS * 4));
  let seen = -1;
  let since = Date.now();
  const timer = setInterval(
    () => {
      const entered = Atomics.load(beat, 0);
      if (Atomics.load(beat, 1) === 0 || entered !== seen) {
        seen = entered;
        since = Date.now();
        return;
      }
      if (Date.now() - since < timeoutMs) return;
      clearInterval(timer);
      const step = names[Atomics.load(beat, 2)] ?? 'a step';
      onHang(
        new DriverHang(
          `driver hung: ${step} has not returned after ${Math.round(timeoutMs / 1000)} s (--step-timeout): a loop in the driver's JavaScript, not a finding about the kernel`,
        ),
      );
    },
    Math.min(1000, Math.max(50, timeoutMs / 4)),
  );
  timer.unref();
  return { beat, stop: () => clearInterval(timer) };
}
