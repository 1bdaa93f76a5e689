// The CLI as CI runs it: the compiled binary in a child process (built by test/globalSetup.ts).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve('bin/svmcheck.js');

export interface Spawned {
  code: number;
  out: string;
  err: string;
}

export function spawnCli(
  args: readonly string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<Spawned> {
  return new Promise((done, fail) => {
    const env = { ...process.env, GITHUB_ACTIONS: '', ...opts.env };
    const p = spawn(process.execPath, [BIN, ...args], { env, cwd: opts.cwd ?? process.cwd(), stdio: 'pipe' });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', fail);
    p.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}
