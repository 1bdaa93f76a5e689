// Boots the guest once (conformance/kernel/boot.sh: QEMU TCG) and collects its serial console.
// The boot is cut short when the kernel oopses or panics (a few seconds are left for the report to
// print: the guest is of no further use), when the console stays silent for too long (a task stuck
// in the kernel), or at the overall timeout. Only the process group this function started is killed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { kernelDir, SetupError, type Kernel } from './kernelScripts.js';

export type BootEnd = 'ok' | 'crash' | 'silent' | 'timeout' | 'no-marker';

export interface Boot {
  text: string;
  end: BootEnd;
  seconds: number;
}

export interface BootOptions {
  timeoutS: number;
  silentS: number;
  /** Seconds of console left to a crash report before the guest is stopped. */
  graceS?: number;
}

const CRASH = /Kernel panic|\bOops\b|BUG: unable to handle|kernel BUG at|general protection fault/;

export function bootGuest(k: Kernel, initramfs: string, o: BootOptions): Promise<Boot> {
  return new Promise((resolvePromise, reject) => {
    const t0 = Date.now();
    const child = spawn('bash', [join(kernelDir(), 'boot.sh'), initramfs], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SVMCHECK_BZIMAGE: k.bzImage,
        SVMCHECK_BOOT_TIMEOUT: String(Math.ceil(o.timeoutS) + 5),
      },
    });
    const chunks: string[] = [];
    let end: BootEnd | null = null;
    let silent: NodeJS.Timeout | undefined;
    let tail = '';
    const stop = (why: BootEnd): void => {
      if (end) return;
      end = why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // The group is already gone.
      }
    };
    const armSilent = (): void => {
      clearTimeout(silent);
      silent = setTimeout(() => stop('silent'), o.silentS * 1000);
    };
    const overall = setTimeout(() => stop('timeout'), o.timeoutS * 1000);
    // Leave no guest behind if svmcheck itself exits first.
    const onExit = (): void => stop('timeout');
    process.once('exit', onExit);
    armSilent();
    child.stdout.setEncoding('utf8');
    let crashing = false;
    child.stdout.on('data', (d: string) => {
      chunks.push(d);
      armSilent();
      tail = (tail + d).slice(-4096);
      if (!crashing && CRASH.test(tail)) {
        crashing = true;
        setTimeout(() => stop('crash'), (o.graceS ?? 3) * 1000).unref();
      }
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('error', (e) => reject(new SetupError(`cannot run boot.sh: ${e.message}`)));
    child.on('close', (code) => {
      process.removeListener('exit', onExit);
      clearTimeout(silent);
      clearTimeout(overall);
      const text = chunks.join('');
      if (!end) {
        if (code === 0) end = 'ok';
        else if (code === 3) end = 'no-marker';
        else if (code === 124) end = 'timeout';
        else if (!text.includes('@@SVM-INIT start')) {
          reject(
            new SetupError(
              `QEMU did not boot the guest (boot.sh exit ${String(code)}): ${stderr.trim().split('\n').pop() ?? ''}`,
            ),
          );
          return;
        } else end = 'no-marker';
      }
      resolvePromise({ text, end, seconds: (Date.now() - t0) / 1000 });
    });
  });
}
