// Runs the shell side in conformance/kernel/: build (or reuse) the cached kernel, and pack an
// initramfs with the runner and a programs file. A failure of either is a set-up problem, reported
// as one line that says what is wrong (the scripts name a missing package, for instance).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConformanceKernel } from './kernelVersions.js';

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
  /** The release built (its Debian linux-source package). */
  version: ConformanceKernel;
  bzImage: string;
  src: string;
  seconds: number;
}

/**
 * build-kernel.sh for one release: reuses the cache (~0.2 s) or builds (~5 min on 2 cores, one
 * build per release at a time: the script locks the cache entry); the image path is its
 * last stdout line. Its progress lines are passed on as they come (a fresh build is long and silent).
 */
export function ensureKernel(version: ConformanceKernel, log: (line: string) => void): Promise<Kernel> {
  const t0 = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [join(kernelDir(), 'build-kernel.sh')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SVMCHECK_KERNEL_VERSION: version },
    });
    let out = '';
    let err = '';
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      err += d;
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (l) log(l);
    });
    child.on('error', (e) => reject(new SetupError(`cannot run build-kernel.sh: ${e.message}`)));
    child.on('close', (code) => {
      if (partial) log(partial);
      if (code !== 0) {
        const named = err.split('\n').find((l) => l.startsWith('ERROR'));
        const why = named ?? lastLines(err, 3);
        reject(new SetupError(`kernel build failed (build-kernel.sh exit ${String(code)}): ${why}`));
        return;
      }
      const bzImage = out.trim().split('\n').pop() ?? '';
      if (!existsSync(bzImage)) {
        reject(new SetupError(`build-kernel.sh printed no kernel image path (got '${bzImage}')`));
        return;
      }
      resolvePromise({
        version,
        bzImage,
        src: join(dirname(bzImage), 'linux'),
        seconds: (Date.now() - t0) / 1000,
      });
    });
  });
}

/** make-initramfs.sh: /init, the runner built against the release's uapi header, and the programs file. */
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
