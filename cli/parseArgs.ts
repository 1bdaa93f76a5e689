// Strict flag parsing: every flag is declared per command; anything else is a usage error naming it.
import { UsageError } from './usageError.js';

export type FlagKind = 'string' | 'int' | 'bool';
export type FlagSpec = Record<string, FlagKind>;

export interface Parsed {
  flags: Record<string, string | number | boolean>;
  positional: string[];
}

export function parseArgs(command: string, argv: readonly string[], spec: FlagSpec): Parsed {
  const flags: Record<string, string | number | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind)
      throw new UsageError(
        `svmcheck ${command}: unknown flag --${name} (known: ${
          Object.keys(spec)
            .map((k) => `--${k}`)
            .join(', ') || 'none'
        })`,
      );
    if (name in flags) throw new UsageError(`svmcheck ${command}: --${name} given twice`);
    if (kind === 'bool') {
      if (eq >= 0) throw new UsageError(`svmcheck ${command}: --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--')))
      throw new UsageError(`svmcheck ${command}: --${name} needs a value`);
    if (kind === 'int') {
      if (!/^-?\d+$/.test(value))
        throw new UsageError(`svmcheck ${command}: --${name} takes a whole number, got '${value}'`);
      flags[name] = Number(value);
    } else flags[name] = value;
  }
  return { flags, positional };
}

export function intFlag(
  cmd: string,
  p: Parsed,
  name: string,
  dflt: number,
  min: number,
  max: number,
): number {
  const v = p.flags[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || v < min || v > max)
    throw new UsageError(`svmcheck ${cmd}: --${name} must be between ${min} and ${max}, got ${String(v)}`);
  return v;
}
