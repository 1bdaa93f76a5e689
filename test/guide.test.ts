// docs/writing-a-driver.md cannot rot: every code block in it is run. A ```ts block whose first line
// is `// FILE.ts` is written to FILE.ts in a package that has svmcheck installed, as a reader's
// would be, and all of them are type-checked against the published types (svmcheck/driver); a
// ```console block's `$ npx svmcheck ...` lines are run there in order, each with the exit status
// its `# exit status N` comment says (else 0), and each line shown beneath a command must appear in
// its output. A block of any other kind fails the test: the guide has nothing that is not run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli } from './spawnCli.js';

const GUIDE = 'docs/writing-a-driver.md';

interface Block {
  lang: string;
  lines: string[];
  at: number;
}

function blocks(md: string): Block[] {
  const out: Block[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i + 1;
    let j = start;
    while (j < lines.length && lines[j] !== '```') j++;
    out.push({ lang: open[1] ?? '', lines: lines.slice(start, j), at: start });
    i = j;
  }
  return out;
}

interface Command {
  args: string[];
  status: number;
  shows: string[];
  at: number;
}

function commands(b: Block): Command[] {
  const out: Command[] = [];
  b.lines.forEach((line, k) => {
    const cmd = /^\$ npx svmcheck (.*?)(?:\s+# exit status (\d+))?$/.exec(line);
    if (cmd)
      out.push({
        args: (cmd[1] ?? '').split(/\s+/),
        status: Number(cmd[2] ?? 0),
        shows: [],
        at: b.at + k + 1,
      });
    else if (line.startsWith('$'))
      throw new Error(`${GUIDE}:${b.at + k + 1}: only npx svmcheck commands are run`);
    else out[out.length - 1]?.shows.push(line.trim());
  });
  return out;
}

const all = blocks(readFileSync(GUIDE, 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'svmcheck-guide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(GUIDE, () => {
  it('has only blocks that are run: TypeScript files and svmcheck commands', () => {
    for (const b of all)
      expect([`${b.lang} at line ${b.at}`]).toEqual([expect.stringMatching(/^(ts|console) /)]);
    expect(all.filter((b) => b.lang === 'ts').length).toBeGreaterThanOrEqual(6);
  });

  it('its files type-check against svmcheck/driver', () => {
    writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}');
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(resolve('.'), join(dir, 'node_modules', 'svmcheck'));
    for (const b of all.filter((x) => x.lang === 'ts')) {
      const name = /^\/\/ ([\w.-]+\.ts)$/.exec(b.lines[0] ?? '')?.[1];
      if (!name) throw new Error(`${GUIDE}:${b.at}: a ts block starts with // FILE.ts`);
      writeFileSync(join(dir, name), `${b.lines.join('\n')}\n`);
    }
    const compilerOptions = {
      strict: true,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      noEmit: true,
      skipLibCheck: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      types: [],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
    const tsc = resolve('node_modules/typescript/bin/tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' })).not.toThrow();
  });

  for (const c of all.filter((b) => b.lang === 'console').flatMap(commands))
    it(`line ${c.at}: svmcheck ${c.args.join(' ')}`, async () => {
      const r = await spawnCli(c.args, { cwd: dir });
      const out = `${r.out}\n${r.err}`.split('\n').map((l) => l.trim());
      expect({ status: r.code, err: r.code === c.status ? '' : r.err }).toEqual({
        status: c.status,
        err: '',
      });
      for (const line of c.shows.filter((l) => l !== '' && l !== '...'))
        expect(
          out.some((o) => o.includes(line)),
          `shows: ${line}`,
        ).toBe(true);
    });
});
