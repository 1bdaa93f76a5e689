// The machine's own parallel ceiling: the same arithmetic loop (no allocation, no memory traffic)
// on 1 and 2 worker threads. Printed beside `--workers` so the model's speed-up can be read against
// what two cores give at best here.
import { Worker } from 'node:worker_threads';

const LOOP = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (n) => {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) | 0;
  parentPort.postMessage(x);
});`;

async function timed(workers: number, iterations: number): Promise<number> {
  const ws = Array.from({ length: workers }, () => new Worker(LOOP, { eval: true }));
  const round = (n: number): Promise<unknown[]> =>
    Promise.all(ws.map((w) => new Promise((resolve) => (w.once('message', resolve), w.postMessage(n)))));
  await round(1e6);
  const t0 = performance.now();
  await round(iterations / workers);
  const ms = performance.now() - t0;
  await Promise.all(ws.map((w) => w.terminate()));
  return ms;
}

/** Speed-up of 2 threads over 1 on a fixed amount of pure arithmetic. */
export async function computeCeiling(iterations = 1e9): Promise<number> {
  const one = await timed(1, iterations);
  const two = await timed(2, iterations);
  return one / two;
}
