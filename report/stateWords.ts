// What else the failing step changed, in words: lock holders by the activity that holds them,
// in-flight migrations by what they move, counters by name, and any other field (the driver's own
// bookkeeping included, whatever its shape) as "field value" pairs — never raw JSON, so state that
// drivers add later still reads as text.
import type { Activity, LockState, Migration, State } from '../model/types.js';
import { pageName } from './pageWords.js';
import { driverFieldWords } from './driverFieldWords.js';
import type { StateAround } from './explanation.js';

/** Parts of the state the table already shows, or that are scheduler bookkeeping. */
const SHOWN = new Set(['cfg', 'phys', 'procs', 'gpuPt', 'acts', 'nextAct', 'cells', 'writeSeq', 'vramBase']);

const MAX = 90;

type Other = StateAround['other'];

function clip(s: string): string {
  return s.length > MAX ? `${s.slice(0, MAX - 3)}...` : s;
}

/** Any plain value as text: scalars as they are, arrays in brackets, objects as "key value" pairs. */
export function valueWords(x: unknown): string {
  if (x === undefined) return 'absent';
  if (x === null) return 'none';
  if (typeof x === 'string') return x;
  if (typeof x !== 'object') return String(x);
  if (Array.isArray(x)) return `[${x.map(valueWords).join(', ')}]`;
  const parts = Object.entries(x as Record<string, unknown>).map(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? `${k} (${valueWords(v)})`
      : `${k} ${valueWords(v)}`,
  );
  return parts.length ? parts.join(', ') : 'empty';
}

function activityName(states: readonly State[], id: number): string {
  const a: Activity | undefined = states.map((s) => s.acts.find((x) => x.id === id)).find((x) => x);
  if (!a) return `activity ${id} (ended)`;
  return a.op >= 0 ? `${a.agent} (op ${a.op + 1})` : `${a.agent} (kernel work)`;
}

function lockWords(l: LockState | undefined, states: readonly State[]): string {
  if (!l || (l.w < 0 && l.r.length === 0)) return 'free';
  const names = (ids: readonly number[]): string => ids.map((id) => activityName(states, id)).join(', ');
  if (l.w >= 0) return `held exclusively by ${names([l.w])}`;
  return `held shared by ${names(l.r)}`;
}

function migrationWords(m: Migration | undefined, s: State): string {
  if (!m) return 'none';
  const moved = m.dst.filter((d) => d >= 0).length;
  const dst = m.dst.map((d) => (d >= 0 ? pageName(s, d) : 'none')).join(', ');
  return clip(
    `migrate_vma #${m.id} pid ${m.pid} [${m.start}, ${m.start + m.src.length}): ${m.cpages} collected, ${moved} with a destination (${dst})${m.done ? ', done' : ''}`,
  );
}

function diff(a: unknown, b: unknown, path: string, out: Other, limit: number): void {
  if (out.length >= limit) return;
  const objA = a !== null && typeof a === 'object';
  const objB = b !== null && typeof b === 'object';
  if (objA && objB && Array.isArray(a) === Array.isArray(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
    for (const k of keys) diff(ra[k], rb[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`, out, limit);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b))
    out.push({ path, before: clip(valueWords(a)), after: clip(valueWords(b)) });
}

export function otherChanges(before: State, after: State, limit = 10): Other {
  const out: Other = [];
  const states = [before, after];
  const ra = before as unknown as Record<string, unknown>;
  const rb = after as unknown as Record<string, unknown>;
  for (const k of [...new Set([...Object.keys(ra), ...Object.keys(rb)])]) {
    if (SHOWN.has(k) || out.length >= limit) continue;
    if (k === 'locks') {
      for (const name of [...new Set([...Object.keys(before.locks), ...Object.keys(after.locks)])].sort()) {
        const x = lockWords(before.locks[name], states);
        const y = lockWords(after.locks[name], states);
        if (x !== y && out.length < limit) out.push({ path: `lock ${name}`, before: x, after: y });
      }
    } else if (k === 'migrations') {
      const ids = [...new Set([...before.migrations, ...after.migrations].map((m) => m.id))].sort(
        (p, q) => p - q,
      );
      for (const id of ids) {
        const x = migrationWords(
          before.migrations.find((m) => m.id === id),
          before,
        );
        const y = migrationWords(
          after.migrations.find((m) => m.id === id),
          after,
        );
        if (x !== y && out.length < limit) out.push({ path: `migration #${id}`, before: x, after: y });
      }
    } else if (k === 'drv') {
      const from = out.length;
      diff(ra[k], rb[k], 'driver', out, limit);
      for (const o of out.slice(from)) {
        const words = driverFieldWords(o.path);
        if (words) o.path = `${o.path} (${words})`;
      }
    } else diff(ra[k], rb[k], k, out, limit);
  }
  return out;
}
