// The README cannot drift from the code: its generated blocks (usage, flags, drivers, a failing
// run) are what `npm run docs:readme` would write, every command is described in its Usage section,
// every `npx svmcheck ...` it shows parses against the command table, and every `npm run X` names
// a script.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS, commandSpec } from '../cli/commandSpecs.js';
import { parseArgs } from '../cli/parseArgs.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { abridgeLine, EXAMPLE_ARGV, readmeBlocks, regenerateReadme } from './readmeBlocks.js';

const README = readFileSync('README.md', 'utf8');

function section(title: string): string {
  const a = README.indexOf(`\n## ${title}\n`);
  const b = README.indexOf('\n## ', a + 1);
  expect(a, title).toBeGreaterThanOrEqual(0);
  return README.slice(a, b < 0 ? undefined : b);
}

function block(name: string, text = README): string {
  return text.slice(text.indexOf(`<!-- generated:${name} -->`), text.indexOf(`<!-- /generated:${name} -->`));
}

describe('README.md', () => {
  it('holds exactly the generated blocks (else: npm run docs:readme)', async () => {
    const blocks = await readmeBlocks();
    const expected = await regenerateReadme(README, blocks);
    const stale = Object.keys(blocks).filter((name) => block(name) !== block(name, expected));
    expect(stale, 'README.md blocks out of date: run npm run docs:readme and commit README.md').toEqual([]);
    expect(README === expected, 'README.md is not formatted as npm run docs:readme writes it').toBe(true);
  });

  it('lists every built-in driver, gpusvm included, and every command with a description', () => {
    const rows = block('drivers')
      .split('\n')
      .filter((l) => /^\| `/.test(l));
    expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)?.[1])).toEqual(BUILTIN_DRIVERS.map((d) => d.name));
    expect(block('drivers')).toContain('`gpusvm`');
    const usage = section('Usage');
    for (const c of COMMAND_SPECS) {
      expect(block('usage'), c.name).toMatch(new RegExp(`^npx svmcheck ${c.name}\\b`, 'm'));
      expect(usage, c.name).toMatch(new RegExp(`^- \`${c.name}\` `, 'm'));
    }
  });

  it('shows a failing run of a broken driver, its long lines cut by code', () => {
    const example = block('example');
    expect(example).toContain(`\n$ npx svmcheck ${EXAMPLE_ARGV.join(' ')}\n`);
    expect(EXAMPLE_ARGV).toContain('no-read-retry');
    expect(example).toMatch(/^FAIL {2}driver 'no-read-retry' broke \S+ \(\w+\)/m);
    for (const l of example.split('\n')) expect(l.length).toBeLessThanOrEqual(100);
    expect(abridgeLine('a'.repeat(50))).toBe('a'.repeat(50));
    expect(abridgeLine(`Replay: x --path ${'12:'.repeat(40)}`)).toMatch(/^Replay: x --path (12:)+ \.\.\.$/);
  });

  it('names the Node versions package.json accepts', () => {
    const { engines } = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    expect(section('Set-up')).toContain(`Node \`${engines.node}\``);
  });

  it('shows only svmcheck commands that parse', () => {
    const usage = block('usage');
    const shown = README.replace(usage, '')
      .split('\n')
      // The example's replay line is cut by the abridging.
      .filter((l) => !l.endsWith(' ...'))
      .flatMap((l) => [...l.matchAll(/npx svmcheck ([^`#>\n]*)/g)].map((m) => (m[1] as string).trim()));
    expect(shown.length).toBeGreaterThan(10);
    for (const line of shown) {
      // CI variables stand for numbers.
      const [cmd, ...args] = line
        .replace(/"?\$\{\{[^}]*\}\}"?|"\$\w+"/g, '1')
        .split(/\s+/)
        .filter(Boolean);
      if (cmd === '--version' || cmd === 'help') {
        expect(args.length, line).toBeLessThanOrEqual(1);
        continue;
      }
      expect(commandSpec(cmd ?? ''), `README shows an unknown command: npx svmcheck ${line}`).toBeDefined();
      expect(() => parseArgs(cmd as string, args), line).not.toThrow();
    }
  });

  it('runs only npm scripts that package.json has', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    const named = [...README.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(3);
    for (const n of named) expect(Object.keys(scripts), `npm run ${n}`).toContain(n);
  });
});
