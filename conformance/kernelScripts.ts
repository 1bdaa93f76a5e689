// Runs the shell side in conformance/kernel/: build (or reuse) the cached kernel, and pack an
// initramfs with the runner and a programs file. A failure of either is a set-up problem, reported
// as one line that says what is wrong (the scripts name a missing package, for instance).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export class SetupError extends Error {
  override name = 'SetupError';
}

/** conformance/kernel/ of the source tree, from the sources or from dist/. */
export function kernelDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const k = join(dir, 'conformance', 'kernel');
    if (existsSync(join(k, 'build-kernel.sh'))) return k;
    if (existsSync(join(dir, 'kernel', 'build-kernel.sh'))) return join(dir, 'kernel');
    dir = resolve(dir, '..');
  }
  throw new SetupError('conformance/kernel/build-kernel.sh not found next to the svmcheck sources');
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

export interface Kernel {
  bzImage: string;
  src: string;
  seconds: number;
}

/** build-kernel.sh: reuses the cache (~0.2 s) or builds (~5 min on 2 cores); the image path is its last line. */
export function ensureKernel(log: (line: string) => void): Kernel {
  const t0 = Date.now();
  const r = spawnSync('bash', [join(kernelDir(), 'build-kernel.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new SetupError(`cannot run build-kernel.sh: ${r.error.message}`);
  const err = r.stderr ?? '';
  for (const l of err.trim().split('\n').slice(-3)) if (l) log(l);
  if (r.status !== 0) {
    const named = err.split('\n').find((l) => l.startsWith('ERROR'));
    throw new SetupError(
      `kernel build failed (build-kernel.sh exit ${String(r.status)}): ${named ?? lastLines(err, 3)}`,
    );
  }
  const bzImage = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  if (!existsSync(bzImage))
    throw new SetupError(`build-kernel.sh printed no kernel image path (got '${bzImage}')`);
  return { bzImage, src: join(dirname(bzImage), 'linux'), seconds: (Date.now() - t0) / 1000 };
}

/** make-initramfs.sh: /init, the runner built against the 6.1 uapi header, and the programs file. */
export function makeInitramfs(k: Kernel, programsFile: string, out: string): void {
  const r = spawnSync('bash', [join(kernelDir(), 'make-initramfs.sh'), programsFile, out], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SVMCHECK_KERNEL_SRC: k.src },
  });
  if (r.error) throw new SetupError(`cannot run make-initramfs.sh: ${r.error.message}`);
  if (r.status !== 0)
    throw new SetupError(
      `make-initramfs.sh failed (exit ${String(r.status)}): ${lastLines(r.stderr ?? '', 3)}`,
    );
}
