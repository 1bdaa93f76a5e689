// npm run bench:explorer: the explorer's tables of issue 23 alone (bench/explorerTables.ts), a few
// minutes instead of the whole bench; run with --single-threaded-gc as npm run bench is.
import { explorerTables } from './explorerTables.js';

console.log('svmcheck bench: the explorer (partial-order reduction, reductions at equal depth, workers)');
await explorerTables();
