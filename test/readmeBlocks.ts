// The README's generated blocks, each between <!-- generated:NAME --> and <!-- /generated:NAME -->:
// the usage synopsis and the flag table (from the command table, cli/commandSpecs.ts), the drivers
// table (from drivers/builtins.ts) and a failing run (a real run of a deliberately broken driver
// at a fixed seed, its long lines cut by code). `npm run docs:readme` writes them; test/readme.test.ts
// fails when the README differs from what they would be.
import prettier from 'prettier';
import { COMMAND_SPECS } from '../cli/commandSpecs.js';
import { main } from '../cli/main.js';
import { flagHelp, flagWords, synopsisWords, wrapWords } from '../cli/usage.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import type { Driver } from '../model/driver.js';
import { KERNEL_RULES } from '../model/kernelRules.js';
import { openInvariants } from '../model/openFinding.js';

/** The example: a broken driver and a seed whose first run fails, so regenerating takes about a second. */
export const EXAMPLE_ARGV = ['run', '--driver', 'no-read-retry', '--seed', '5', '--archive', 'none'] as const;
const EXAMPLE_WIDTH = 100;

function usageBlock(): string {
  const w = Math.max(...COMMAND_SPECS.map((c) => c.name.length)) + 1;
  const lines = COMMAND_SPECS.flatMap((c) =>
    wrapWords(`npx svmcheck ${c.name.padEnd(w)}`, synopsisWords(c), EXAMPLE_WIDTH),
  );
  lines.push(`npx svmcheck ${'help'.padEnd(w)}[COMMAND]`, 'npx svmcheck --version');
  return ['```sh', ...lines, '```'].join('\n');
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

function flagsTable(): string {
  // One row per flag and meaning: a flag that means the same in several commands is listed once.
  const rows = new Map<string, { flag: string; help: string; commands: string[] }>();
  for (const c of COMMAND_SPECS)
    for (const [name, f] of Object.entries(c.flags)) {
      const flag = flagWords(name, f)
        .split(' ')
        .map((x, i) =>
          i === 0
            ? x
                .split('|')
                .map((y) => `\`${y}\``)
                .join(', ')
            : `\`${x}\``,
        )
        .join(' ');
      const help = flagHelp(f);
      const key = `${flag}\n${help}`;
      const row = rows.get(key) ?? { flag, help, commands: [] };
      row.commands.push(c.name);
      rows.set(key, row);
    }
  return [
    '| flag | commands | meaning |',
    '| --- | --- | --- |',
    ...[...rows.values()].map((r) => `| ${cell(r.flag)} | ${r.commands.join(', ')} | ${cell(r.help)} |`),
  ].join('\n');
}

/** What a driver is expected to break: its class, nothing, or (shipped code) what upstream breaks. */
function expected(d: Driver): string {
  if (d.broken) return d.broken.expects;
  if (d.openFindings?.length)
    return `upstream's open bugs: ${openInvariants(d.openFindings)
      .map((i) => `\`${i}\``)
      .join(', ')}`;
  return 'nothing (a correct design)';
}

function driversTable(): string {
  return [
    '| driver | expected to break | what it is |',
    '| --- | --- | --- |',
    ...BUILTIN_DRIVERS.map((d) => `| \`${d.name}\` | ${expected(d)} | ${cell(d.summary)} |`),
  ].join('\n');
}

/** The versioned core-mm rules (model/kernelRules.ts): one row per rule and variant. */
function kernelRulesTable(): string {
  return [
    '| rule | releases | what the kernel does | read in |',
    '| --- | --- | --- | --- |',
    ...Object.entries(KERNEL_RULES).flatMap(([id, r]) =>
      r.variants.map(
        (v, i) =>
          `| ${i === 0 ? `\`${id}\`: ${cell(r.behaviour)}` : ''} | ${v.kernels.join(', ')} | ${cell(v.does)} | ${cell(v.source)} |`,
      ),
    ),
  ].join('\n');
}

/** A line cut to the width at a space or colon, marked with `...`; shorter lines are left alone. */
export function abridgeLine(line: string, width = EXAMPLE_WIDTH): string {
  if (line.length <= width) return line;
  const head = line.slice(0, width - 4);
  const cut = Math.max(head.lastIndexOf(' '), head.lastIndexOf(':') + 1);
  return `${head.slice(0, cut > width / 2 ? cut : head.length).trimEnd()} ...`;
}

async function exampleBlock(): Promise<string> {
  const out: string[] = [];
  const code = await main([...EXAMPLE_ARGV], { out: (l) => out.push(l), err: () => {} });
  if (code !== 1) throw new Error(`the README example (${EXAMPLE_ARGV.join(' ')}) exited ${code}, not 1`);
  const text = out
    .join('\n')
    .split('\n')
    .map((l) => abridgeLine(l));
  return ['```', `$ npx svmcheck ${EXAMPLE_ARGV.join(' ')}`, ...text, '```'].join('\n');
}

export async function readmeBlocks(): Promise<Record<string, string>> {
  return {
    usage: usageBlock(),
    flags: flagsTable(),
    drivers: driversTable(),
    'kernel-rules': kernelRulesTable(),
    example: await exampleBlock(),
  };
}

/** The README with every generated block replaced, then formatted as `npm run lint` wants it. */
export async function regenerateReadme(readme: string, blocks: Record<string, string>): Promise<string> {
  let text = readme;
  for (const [name, body] of Object.entries(blocks)) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const a = text.indexOf(open);
    const b = text.indexOf(close);
    if (a < 0 || b < a) throw new Error(`README.md has no ${open} ... ${close} block`);
    text = `${text.slice(0, a + open.length)}\n\n${body}\n\n${text.slice(b)}`;
  }
  const options = (await prettier.resolveConfig('README.md')) ?? {};
  return prettier.format(text, { ...options, parser: 'markdown' });
}
