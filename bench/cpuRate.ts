// Throughput per CPU-second of this process, best of several rounds: on a shared machine wall-clock
// time also counts the time other processes hold the core, and a single round can hit a busy spell.

/** Runs work() `rounds` times; returns the best units per CPU-second (work returns its units). */
export function cpuRate(work: () => number, rounds = 3): number {
  let best = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = process.cpuUsage();
    const units = work();
    const dt = process.cpuUsage(t0);
    const secs = (dt.user + dt.system) / 1e6;
    best = Math.max(best, units / Math.max(secs, 1e-9));
  }
  return best;
}
