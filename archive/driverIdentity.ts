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
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Driver } from '../model/driver.js';
import { codeText } from './codeText.js';
import { packageRoot, runningFromSources } from './packageRoot.js';

export type HashScheme = 'text' | 'code';

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

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

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

/** The module and its relative imports, transitively, that lie inside `root`. */
function closure(entry: string, root: string): string[] {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT_RE)) {
      const spec = resolve(dirname(file), m[1] as string);
      const candidates = file.endsWith('.ts') ? [spec.replace(/\.js$/, '.ts'), spec] : [spec];
      const hit = candidates.find((c) => existsSync(c));
      if (hit && (hit + sep).startsWith(root + sep) && !seen.has(hit)) todo.push(hit);
    }
  }
  return [...seen];
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
  const files = closure(entry, tree)
    .map((f) => ({ f, rel: relative(base, f).split(sep).join('/') }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const h = createHash('sha256');
  const fileHashes: string[] = [];
  for (const { f, rel } of files) {
    const text = readFileSync(f, 'utf8');
    const hashed = scheme === 'code' ? codeText(text) : text;
    h.update(`${rel}\0${hashed}\0`);
    fileHashes.push(createHash('sha256').update(hashed).digest('hex').slice(0, 16));
  }
  const id: DriverIdentity = {
    name: driver.name,
    module: modulePath === null ? null : resolve(modulePath),
    hash: h.digest('hex'),
    hashOf: files.map((x) => x.rel),
    scheme,
    entry,
    fileHashes,
  };
  cache.set(driver, (cache.get(driver) ?? new Map<string, DriverIdentity>()).set(key, id));
  return id;
}
