// Usage text, generated from the command table (cli/commandSpecs.ts): the global usage
// (`svmcheck help`), each command's own (`svmcheck CMD --help`, `svmcheck help CMD`), and the
// synopsis both share with the README's usage block.
import type { CommandSpec, FlagSpec } from './commandSpec.js';
import { COMMAND_SPECS } from './commandSpecs.js';

const WIDTH = 100;

/** `-d|--driver NAME|PATH`: a flag as usage text shows it. */
export function flagWords(name: string, f: FlagSpec): string {
  const long = `${f.short ? `-${f.short}|` : ''}--${name}`;
  return f.kind === 'bool' ? long : `${long} ${f.value}`;
}

/** The command's arguments and flags as `[...]` words, in table order. */
export function synopsisWords(spec: CommandSpec): string[] {
  return [
    ...(spec.args ? [spec.args] : []),
    ...Object.entries(spec.flags).map(([name, f]) => `[${flagWords(name, f)}]`),
  ];
}

/** Words after `head`, wrapped at `width` columns, continuation lines indented to the head's width. */
export function wrapWords(head: string, words: readonly string[], width = WIDTH): string[] {
  const lines: string[] = [];
  let line = head;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = ' '.repeat(head.length) + w;
    } else line = empty ? line + w : `${line} ${w}`;
    empty = false;
  }
  lines.push(line.trimEnd());
  return lines;
}

/** A flag's meaning with its default, as --help and the README's flag table say it. */
export function flagHelp(f: FlagSpec): string {
  return f.help + (f.kind !== 'bool' && f.default !== undefined ? ` (default ${String(f.default)})` : '');
}

/** What `svmcheck CMD --help` prints. */
export function commandUsage(spec: CommandSpec): string {
  const rows: Array<[string, string]> = Object.entries(spec.flags).map(([name, f]) => [
    `${f.short ? `-${f.short}, ` : '    '}--${name}${f.kind === 'bool' ? '' : ` ${f.value}`}`,
    flagHelp(f),
  ]);
  rows.push(['-h, --help', 'this text']);
  const w = Math.max(...rows.map(([l]) => l.length)) + 2;
  return [
    ...wrapWords(`usage: svmcheck ${spec.name} `, synopsisWords(spec)),
    '',
    ...wrapWords('', spec.summary.split(' ')),
    '',
    'flags:',
    ...rows.flatMap(([l, h]) => wrapWords(`  ${l.padEnd(w)}`, h.split(' '))),
  ].join('\n');
}

/** What `svmcheck help` prints: every command's synopsis and summary. */
export function globalUsage(): string {
  const w = Math.max(...COMMAND_SPECS.map((c) => c.name.length)) + 1;
  const indent = ' '.repeat(2 + w);
  return [
    'usage: svmcheck <command> [flags]',
    "       svmcheck <command> -h|--help    (or svmcheck help <command>) that command's flags",
    '       svmcheck --version',
    '',
    'Exit codes: 0 nothing broke, 1 an invariant broke, 2 bad usage or input, 3 incomplete (explore cut short), 70 an internal error (not a finding).',
    '',
    'commands:',
    ...COMMAND_SPECS.flatMap((c) => [
      ...wrapWords(`  ${c.name.padEnd(w)}`, synopsisWords(c)),
      ...wrapWords(indent, c.summary.split(' ')),
    ]),
    `  ${'help'.padEnd(w)}[COMMAND]`,
    `${indent}this text, or a command's flags`,
  ].join('\n');
}
