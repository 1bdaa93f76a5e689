// The conventional command line generated from the command table (cli/commandSpecs.ts): -h/--help
// on every command with its own usage, `help CMD`, --version, short flags that mean what their long
// forms mean, and one-line errors with exit 2.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS } from '../cli/commandSpecs.js';
import { commandUsage, globalUsage } from '../cli/usage.js';
import { cli } from './cliHarness.js';

describe('the command table', () => {
  it('gives each command distinct short flags, never -h, and int defaults within their bounds', () => {
    for (const c of COMMAND_SPECS) {
      const shorts = Object.values(c.flags).flatMap((f) => (f.short ? [f.short] : []));
      expect(new Set(shorts).size, c.name).toBe(shorts.length);
      expect(shorts, c.name).not.toContain('h');
      for (const [name, f] of Object.entries(c.flags))
        if (f.kind === 'int' && f.default !== undefined) {
          expect(f.default, `${c.name} --${name}`).toBeGreaterThanOrEqual(f.min);
          expect(f.default, `${c.name} --${name}`).toBeLessThanOrEqual(f.max);
        }
    }
  });
});

describe('help and version', () => {
  it('help lists every command with its flags; explore shows --archive', async () => {
    const { code, out } = await cli('help');
    expect(code).toBe(0);
    expect(out).toBe(globalUsage());
    for (const c of COMMAND_SPECS) {
      expect(out).toMatch(new RegExp(`^  ${c.name}\\b`, 'm'));
      for (const name of Object.keys(c.flags)) expect(out).toContain(`--${name}`);
    }
    const explore = out.slice(out.indexOf('  explore '), out.indexOf('  replay '));
    expect(explore).toContain('[-a|--archive DIR|none]');
  });

  it('no command prints the usage on stderr and exits 2', async () => {
    const { code, out, err } = await cli();
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(globalUsage());
  });

  for (const c of COMMAND_SPECS)
    it(`${c.name} -h, --help and help ${c.name} print its own usage and exit 0`, async () => {
      const usage = commandUsage(c);
      expect(usage).toMatch(new RegExp(`^usage: svmcheck ${c.name}\\b`));
      for (const [name, f] of Object.entries(c.flags)) {
        expect(usage).toContain(`--${name}`);
        expect(usage).toContain(f.help.split(' ').slice(0, 3).join(' '));
      }
      for (const argv of [
        [c.name, '--help'],
        [c.name, '-h'],
        ['help', c.name],
      ]) {
        const r = await cli(...argv);
        expect(r, argv.join(' ')).toMatchObject({ code: 0, out: usage, err: '' });
      }
    });

  it('-h wins over other flags, even unknown ones, before any work', async () => {
    const r = await cli('run', '--bogus', '-n', '999999999', '-h');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: svmcheck run/);
  });

  it('--version prints the version in package.json', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(await cli('--version')).toMatchObject({ code: 0, out: version });
  });
});

describe('short flags', () => {
  it('mean what their long forms mean: same output, byte for byte', async () => {
    const long = await cli(
      'run',
      '--driver',
      'mirror',
      '--seed',
      '7',
      '--runs',
      '40',
      '--archive',
      'none',
      '--json',
    );
    const short = await cli('run', '-d', 'mirror', '-s', '7', '-n', '40', '-a', 'none', '-j');
    expect(long.code).toBe(0);
    expect(short.code).toBe(long.code);
    expect(short.out).toBe(long.out);
    expect(JSON.parse(short.out)).toMatchObject({ driver: 'mirror', seed: 7, runs: 40 });
    expect(await cli('drivers', '-j')).toEqual(await cli('drivers', '--json'));
  });

  it('take a negative number as a value, and a value glued with =', async () => {
    const r = await cli('run', '--seed', '-5', '--runs=20', '-a', 'none', '-j');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ seed: -5, runs: 20 });
  });
});

describe('bad usage: one line, exit 2', () => {
  it.each([
    [['run', '-x'], /^svmcheck run: unknown flag -x \(known: -d\/--driver, /],
    [['run', '--bogus=1'], /^svmcheck run: unknown flag --bogus /],
    [['run', '-d'], /^svmcheck run: --driver needs a value$/],
    [['run', '--driver', '-j'], /^svmcheck run: --driver needs a value$/],
    [['run', '-j', '--json'], /^svmcheck run: --json given twice$/],
    [['run', '-s', '1', '--seed', '2'], /^svmcheck run: --seed given twice$/],
    [['run', '--json=yes'], /^svmcheck run: --json takes no value$/],
    [['run', '-n', 'ten'], /^svmcheck run: --runs takes a whole number, got 'ten'$/],
    [['run', '-w', '65'], /^svmcheck run: --workers must be between 1 and 64, got 65$/],
    [['explore', '--depth', '0'], /^svmcheck explore: --depth must be between 1 and 64, got 0$/],
    [['schema', '-j'], /^svmcheck schema: unknown flag -j \(known: none\)$/],
    [['help', 'nope'], /^svmcheck: unknown command 'nope' \(commands: run, suites, /],
    [['help', 'run', 'list'], /^svmcheck help: give at most one command$/],
    [['frobnicate'], /^svmcheck: unknown command 'frobnicate' .*; svmcheck help\)$/],
  ])('%j', async (argv, msg) => {
    const { code, out, err } = await cli(...(argv as string[]));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(msg);
    expect(err.split('\n')).toHaveLength(1);
  });
});
