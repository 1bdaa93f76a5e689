#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm ci builds it through the prepare script).
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
