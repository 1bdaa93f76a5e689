#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm ci builds it through the prepare script).
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  // A progress bar is redrawn in place only on a terminal; CI logs get summary lines instead.
  ...(process.stderr.isTTY ? { tty: (text) => process.stderr.write(text) } : {}),
  env: process.env,
});
process.exitCode = code;
