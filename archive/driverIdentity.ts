// What an archived counterexample records about its driver: the name, where a user's module was
// loaded from, and a sha256 over the driver's code — the module that defines it plus the files it
// imports by relative path within its own tree (drivers/ for built-ins, the module's own directory
// for a user's module). The model is not part of it: a driver is judged against whatever model
// svmcheck has. Built-ins are hashed from their TypeScript sources whether svmcheck runs from the
// sources or from dist/, so both give the same hash.
//
// Scheme 'code' (today's) hashes each file's code without comments, blank space and trailing
// commas (codeText), and records a hash per file, so a report can name the files that changed.
// Scheme 'text' (files archived before it, which carry no scheme) hashed every byte: any comment
// edit or reformatting of drivers/svm/ made every svm case say its driver had changed.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Driver } from '../model/driver.js';
import { codeHash, type HashScheme } from './moduleIdentity.js';
import { packageRoot, runningFromSources } from './packageRoot.js';

export type { HashScheme };

export interface DriverIdentity {
  name: string;
  /** The module a driver given by path was loaded from (absolute); null for a built-in. */
  module: string | null;
  /** sha256 (hex) over `hashOf`'s files, each as its path, a NUL, its code (or text) and a NUL. */
  hash: string;
  /** The files hashed, relative to the tree they were taken from, sorted. */
  hashOf: string[];
  scheme: HashScheme;
  /** The module that defines the driver (absolute; a built-in's TypeScript source when present). */
  entry: string;
  /** Per file of hashOf, the first 16 hex digits of the sha256 of its code (scheme 'code'). */
  fileHashes: string[];
}

function listModules(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listModules(p, ext));
    else if (e.name.endsWith(ext) && !e.name.endsWith(`.d${ext}`)) out.push(p);
  }
  return out;
}

/** The TypeScript source of a compiled dist/ module when it is there (tsconfig: rootDir '.', outDir 'dist'). */
function sourceOf(file: string): string {
  const dist = join(packageRoot(), 'dist') + sep;
  if (!file.startsWith(dist) || !file.endsWith('.js')) return file;
  const ts = join(packageRoot(), file.slice(dist.length).replace(/\.js$/, '.ts'));
  return existsSync(ts) ? ts : file;
}

async function builtinModule(driver: Driver): Promise<string> {
  const fromSources = runningFromSources();
  const dir = join(packageRoot(), fromSources ? 'drivers' : join('dist', 'drivers'));
  for (const file of listModules(dir, fromSources ? '.ts' : '.js')) {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    if (Object.values(mod).includes(driver)) return sourceOf(file);
  }
  throw new Error(`driverIdentity: no module under ${dir} exports driver '${driver.name}'`);
}

const cache = new WeakMap<Driver, Map<string, DriverIdentity>>();

/** Identity of a built-in (modulePath null) or of a driver loaded from the module at modulePath. */
export async function driverIdentity(
  driver: Driver,
  modulePath: string | null,
  scheme: HashScheme = 'code',
): Promise<DriverIdentity> {
  const key = `${scheme}\0${modulePath ?? ''}`;
  const hit = cache.get(driver)?.get(key);
  if (hit) return hit;
  const entry = modulePath === null ? await builtinModule(driver) : resolve(modulePath);
  const root = packageRoot();
  const inDist = relative(root, entry).startsWith(`dist${sep}`);
  const tree = modulePath !== null ? dirname(entry) : join(root, inDist ? 'dist' : '', 'drivers');
  const base = modulePath === null ? root : tree;
  const code = codeHash(entry, tree, base, scheme);
  const id: DriverIdentity = {
    name: driver.name,
    module: modulePath === null ? null : resolve(modulePath),
    hash: code.hash,
    hashOf: code.hashOf,
    scheme,
    entry,
    fileHashes: code.fileHashes,
  };
  cache.set(driver, (cache.get(driver) ?? new Map<string, DriverIdentity>()).set(key, id));
  return id;
}
