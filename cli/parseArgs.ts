// Strict flag parsing on node:util's parseArgs: every flag is declared in the command table
// (cli/commandSpecs.ts), short forms included; anything else is a usage error naming it. node's
// tokens are checked here rather than by its strict mode, so that a negative number can follow a
// flag (--seed -5) and a flag given twice is refused instead of silently overriding the first.
import { parseArgs as tokenize } from 'node:util';
import type { CommandSpec } from './commandSpec.js';
import { commandSpec } from './commandSpecs.js';
import { UsageError } from './usageError.js';

export interface Parsed {
  flags: Record<string, string | number | boolean>;
  positional: string[];
}

type Token = NonNullable<ReturnType<typeof tokenize>['tokens']>[number];

function specOf(command: string): CommandSpec {
  const spec = commandSpec(command);
  if (!spec) throw new Error(`parseArgs: '${command}' is not in the command table`);
  return spec;
}

function tokens(spec: CommandSpec, argv: readonly string[]): Token[] {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, f] of Object.entries(spec.flags))
    options[name] = {
      type: f.kind === 'bool' ? 'boolean' : 'string',
      ...(f.short ? { short: f.short } : {}),
    };
  return (
    tokenize({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true }).tokens ?? []
  );
}

/** Whether argv asks for the command's usage (-h or --help anywhere before a `--`). */
export function helpRequested(command: string, argv: readonly string[]): boolean {
  return tokens(specOf(command), argv).some((t) => t.kind === 'option' && t.name === 'help');
}

export function parseArgs(command: string, argv: readonly string[]): Parsed {
  const spec = specOf(command);
  const flags: Record<string, string | number | boolean> = {};
  const positional: string[] = [];
  const known = (): string =>
    Object.entries(spec.flags)
      .map(([k, f]) => (f.short ? `-${f.short}/--${k}` : `--${k}`))
      .join(', ') || 'none';
  for (const t of tokens(spec, argv)) {
    if (t.kind === 'positional') positional.push(t.value);
    if (t.kind !== 'option') continue;
    const f = spec.flags[t.name];
    const name = `--${t.name}`;
    if (!f) throw new UsageError(`svmcheck ${command}: unknown flag ${t.rawName} (known: ${known()})`);
    if (t.name in flags) throw new UsageError(`svmcheck ${command}: ${name} given twice`);
    if (f.kind === 'bool') {
      if (t.value !== undefined) throw new UsageError(`svmcheck ${command}: ${name} takes no value`);
      flags[t.name] = true;
      continue;
    }
    const value = t.value;
    // A following flag is not a value; a negative number is (--seed -5).
    if (value === undefined || (!t.inlineValue && /^-(?!\d)/.test(value)))
      throw new UsageError(`svmcheck ${command}: ${name} needs a value`);
    if (f.kind === 'int') {
      if (!/^-?\d+$/.test(value))
        throw new UsageError(`svmcheck ${command}: ${name} takes a whole number, got '${value}'`);
      flags[t.name] = Number(value);
    } else flags[t.name] = value;
  }
  return { flags, positional };
}

/**
 * An int flag's value, checked against the bounds its table entry gives; absent, the entry's
 * default, or `dflt` for a default that depends on something else (a random seed, a scope's depth).
 */
export function intFlag(command: string, p: Parsed, name: string, dflt?: number): number {
  const f = specOf(command).flags[name];
  if (f?.kind !== 'int') throw new Error(`intFlag: --${name} of '${command}' is not a whole-number flag`);
  const v = p.flags[name];
  if (v === undefined) {
    const d = dflt ?? f.default;
    if (d === undefined) throw new Error(`intFlag: --${name} of '${command}' has no default`);
    return d;
  }
  if (typeof v !== 'number' || v < f.min || v > f.max)
    throw new UsageError(
      `svmcheck ${command}: --${name} must be between ${f.min} and ${f.max}, got ${String(v)}`,
    );
  return v;
}
