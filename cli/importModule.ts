// Imports a user's module (a driver, invariant, suite, scope or kernel patch) by path, from
// TypeScript as well as JavaScript: a .ts/.mts/.cts path is loaded through tsx's ESM loader
// (registered once per thread, the first time one is needed). tsx compiles without type checking:
// `npx tsc --noEmit` on the module is the author's type check.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { userFrame } from '../check/userFrame.js';
import { esmScope } from './esmScope.js';
import { UsageError } from './usageError.js';

let tsLoader: Promise<void> | null = null;

function registerTs(): Promise<void> {
  tsLoader ??= import('tsx/esm/api').then(({ register }) => {
    // Global, not namespaced: the module must share svmcheck's own module instances (the write
    // marks in model/touched.ts, the error classes) with the checker that runs it.
    register({ tsconfig: false });
  });
  return tsLoader;
}

/** A path the user gave for a module: resolved, checked to exist, imported; a failure is bad input. */
export async function importModule(
  spec: string,
  what: string,
): Promise<{ path: string; mod: Record<string, unknown> }> {
  const path = resolve(spec);
  if (!existsSync(path)) throw new UsageError(`${what} module ${spec} does not exist`);
  if (/\.[mc]?ts$/.test(path)) await registerTs();
  try {
    return { path, mod: (await import(pathToFileURL(path).href)) as Record<string, unknown> };
  } catch (e) {
    // tsx compiles a .ts outside a "type": "module" package as CommonJS, which cannot import svmcheck/driver.
    const hint =
      /\.ts$/.test(path) && !esmScope(dirname(path))
        ? ' (a .ts file outside a package with "type": "module" is CommonJS: name it .mts, or add "type": "module" to its package.json)'
        : '';
    throw new UsageError(`${what} module ${spec} failed to load: ${firstLine(e)}${hint}`);
  }
}

/** The error's message and, for an exception thrown by the module's own code, where it was thrown. */
function firstLine(e: unknown): string {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  const where = e instanceof Error ? userFrame(e.stack) : null;
  return where ? `${msg} (at ${where})` : msg;
}
