// The modules an archived case was found with besides its driver (its `extensions`). The
// invariant and kernel-patch ones take part in its replay: they are loaded as its driver module
// is (cli/caseDriver.ts: named by the user's command, or inside the archive's project when the
// command allows it), and refused, one line and exit 2, when missing or when their code is not
// the code the case was found with: a replay on other code would not be the case's. Suite and
// scope modules only generated the program, which the file holds: they are recorded, not loaded.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CounterexampleFile, ExtensionRecord } from '../archive/counterexampleFile.js';
import { moduleIdentity } from '../archive/moduleIdentity.js';
import type { Driver } from '../model/driver.js';
import type { KernelPatch } from '../model/kernelPatch.js';
import type { Invariant } from '../properties/invariant.js';
import { loadInvariants } from './loadInvariants.js';
import type { LoadedDriver } from './loadDriver.js';
import { loadKernelPatch } from './loadKernelPatch.js';
import { moduleRefusal } from './moduleRefusal.js';
import { UsageError } from './usageError.js';

export interface CaseExtensionPolicy {
  /** Modules the user's command names (--invariant, --kernel-patch): loaded wherever they lie. */
  named: readonly string[];
  /** Whether a module inside the archive's project may be loaded without being named. */
  projectModules: boolean;
  /** Refuse a module whose code changed since the case was archived (upgrade re-records it instead). */
  sameCode: boolean;
}

export interface CaseExtensions {
  /** The invariants of the case's --invariant modules, checked beside the built-in ones. */
  invariants: Invariant[];
  patch: KernelPatch | null;
}

export const NO_EXTENSIONS: CaseExtensions = { invariants: [], patch: null };

const realOrSelf = (p: string): string => (existsSync(p) ? realpathSync(p) : resolve(p));

/** The files of the module that differ from what the case recorded, for the refusal's line. */
function changedFiles(x: ExtensionRecord, path: string): string {
  const now = moduleIdentity(path);
  const was = new Map(x.hashOf.map((f, i) => [f, x.fileHashes[i]]));
  const files = [
    ...now.hashOf.filter((f, i) => was.get(f) !== now.fileHashes[i]),
    ...x.hashOf.filter((f) => !now.hashOf.includes(f)),
  ];
  return files.length ? files.join(', ') : 'its files';
}

export async function caseExtensions(
  file: string,
  cx: CounterexampleFile,
  policy: CaseExtensionPolicy,
): Promise<CaseExtensions> {
  const named = new Set(policy.named.map(realOrSelf));
  const invariants: Invariant[] = [];
  let patch: KernelPatch | null = null;
  for (const [i, x] of (cx.extensions ?? []).entries()) {
    if (x.kind !== 'invariant' && x.kind !== 'kernel-patch') continue;
    const what = x.kind === 'invariant' ? 'invariant' : 'kernel patch';
    const path = resolve(dirname(file), x.module);
    const at = `${file}: field extensions.${i}.module`;
    if (!existsSync(path))
      throw new UsageError(`${at}: the ${what} module ${path} the case was found with does not exist`);
    const real = realpathSync(path);
    if (!named.has(real)) {
      const why = moduleRefusal(file, path, policy.projectModules, `name it with --${x.kind} PATH to run it`);
      if (why) throw new UsageError(`${at}: ${path} not loaded: ${why}`);
    }
    if (policy.sameCode && moduleIdentity(real).hash !== x.hash)
      throw new UsageError(
        `${at}: the ${what} module ${path} changed since the case was archived (${changedFiles(x, real)}): a replay would not be the case's; once it replays as its status says, re-record it with svmcheck upgrade --${x.kind} ${path} ${file}`,
      );
    try {
      if (x.kind === 'invariant') invariants.push(...(await loadInvariants([real])));
      else if (patch) throw new UsageError(`a case is found with one kernel patch, this one names two`);
      else patch = (await loadKernelPatch(real)).patch;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      throw new UsageError(`${at}: ${e.message}`);
    }
  }
  return { invariants, patch };
}

/** The driver a case replays on: the driver as loaded (without a run's own patch), with the case's patch. */
export function patchedFor(loaded: LoadedDriver, ext: CaseExtensions): Driver {
  const base = loaded.base ?? loaded.driver;
  return ext.patch ? { ...base, kernelPatch: ext.patch } : base;
}
