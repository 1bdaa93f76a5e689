// A counterexample found with modules given by path besides its driver (--invariant,
// --kernel-patch, --suite, --scope) records them as it records a driver module (path relative to
// the file, sha256 of their code), and replays with the invariant and kernel-patch ones: a module
// that is missing or whose code changed is refused in one line, exit 2, until `upgrade` re-records
// it. An archive file stays data: a module it names is loaded only as a driver module is.
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCounterexample } from '../archive/parseCounterexample.js';
import { spawnCli } from './spawnCli.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A directory inside this project (gitignored), so a module there resolves svmcheck/driver. */
function inProject(): string {
  mkdirSync('.svmcheck-tmp', { recursive: true });
  const dir = resolve(mkdtempSync(join('.svmcheck-tmp', 'ext-archive-')));
  made.push(dir);
  return dir;
}

function onlyCase(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(1);
  return join(dir, files[0] as string);
}

async function refused(args: string[], msg: RegExp): Promise<void> {
  const r = await spawnCli(args);
  expect(r.code, r.err + r.out).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(msg);
}

const RUN = ['run', '--driver', 'mirror', '--runs', '300'];

describe('archiving with extension modules', () => {
  it('a --kernel-patch and --suite case records both, replays with the patch, and refuses a changed or missing one', async () => {
    const dir = inProject();
    const patch = join(dir, 'extKernelPatch.ts');
    const suite = join(dir, 'extSuite.ts');
    copyFileSync('test/fixtures/extKernelPatch.ts', patch);
    copyFileSync('test/fixtures/extSuite.ts', suite);
    const archive = join(dir, 'cx');
    const found = await spawnCli([
      ...RUN,
      '--seed',
      '1',
      '--suite',
      suite,
      '--kernel-patch',
      patch,
      '--archive',
      archive,
    ]);
    expect(found.code, found.err).toBe(1);
    expect(found.out).toMatch(/broke permitted-access-served/);
    const file = onlyCase(archive);
    const cx = parseCounterexample(file, JSON.parse(readFileSync(file, 'utf8')));
    expect(cx.extensions?.map((x) => [x.kind, x.module, x.hashOf])).toEqual([
      ['kernel-patch', '../extKernelPatch.ts', ['extKernelPatch.ts']],
      ['suite', '../extSuite.ts', ['extSuite.ts']],
    ]);
    expect(readFileSync(file.replace(/\.json$/, '.md'), 'utf8')).toMatch(
      /\| found with \| kernel-patch module `\.\.\/extKernelPatch\.ts`, sha256 `[0-9a-f]{16}`; suite module/,
    );

    // The replay runs on the patched core mm (without it the mirror driver passes this program).
    const replayed = await spawnCli(['replay', file]);
    expect(replayed.code, replayed.err).toBe(1);
    expect(replayed.out).toMatch(/broke permitted-access-served/);
    // A run of the driver without the patch replays the case first, with the patch it records.
    const again = await spawnCli([...RUN, '--seed', '2', '--suite', 'mirror', '--archive', archive]);
    expect(again.code, again.err).toBe(1);
    expect(again.out).toContain(`archived counterexample ${archive}/`);

    // The suite module only generated the program: the replay does not need it.
    renameSync(suite, `${suite}.gone`);
    expect((await spawnCli(['replay', file])).code).toBe(1);

    // A comment is not code; a changed procedure is.
    appendFileSync(patch, '// a comment\n');
    expect((await spawnCli(['replay', file])).code).toBe(1);
    appendFileSync(patch, 'export const changed = 1;\n');
    await refused(
      ['replay', file],
      /field extensions\.0\.module: the kernel patch module \S+extKernelPatch\.ts changed since the case was archived \(extKernelPatch\.ts\): .*svmcheck upgrade --kernel-patch /,
    );
    await refused(
      [...RUN, '--seed', '2', '--suite', 'mirror', '--archive', archive],
      /changed since the case was archived/,
    );
    // upgrade loads only the modules it is given, and re-records one once the case replays as its status says.
    await refused(
      ['upgrade', file],
      /not loaded: this command never loads a module an archive names; name it with --kernel-patch PATH/,
    );
    const up = await spawnCli(['upgrade', '--kernel-patch', patch, file]);
    expect(up.code, up.err).toBe(0);
    expect(up.out).toMatch(
      /kernel-patch module \.\.\/extKernelPatch\.ts re-recorded; the case replays as its status says/,
    );
    expect((await spawnCli(['replay', file])).code).toBe(1);

    renameSync(patch, `${patch}.gone`);
    await refused(
      ['replay', file],
      /field extensions\.0\.module: the kernel patch module \S+extKernelPatch\.ts the case was found with does not exist/,
    );
  });

  it("an --invariant case replays with its invariant; outside the archive's project only when named", async () => {
    const dir = inProject();
    const inv = join(dir, 'extInvariant.ts');
    copyFileSync('test/fixtures/extInvariant.ts', inv);
    const archive = join(dir, 'cx');
    const found = await spawnCli([
      ...RUN,
      '--seed',
      '1',
      '--suite',
      'mirror',
      '--invariant',
      inv,
      '--archive',
      archive,
    ]);
    expect(found.code, found.err).toBe(1);
    const file = onlyCase(archive);
    const cx = parseCounterexample(file, JSON.parse(readFileSync(file, 'utf8')));
    expect(cx.violation.invariant).toBe('gpu-read-only');
    expect(cx.extensions?.map((x) => x.kind)).toEqual(['invariant']);
    const replayed = await spawnCli(['replay', file]);
    expect(replayed.code, replayed.err).toBe(1);
    expect(replayed.out).toMatch(/broke gpu-read-only/);

    // The same case in an archive outside any project: its module is loaded only when named.
    const outside = mkdtempSync(join(tmpdir(), 'svmcheck-ext-'));
    made.push(outside);
    const moved = join(outside, 'case.json');
    writeFileSync(
      moved,
      JSON.stringify({ ...cx, extensions: cx.extensions?.map((x) => ({ ...x, module: inv })) }),
    );
    await refused(
      ['replay', moved],
      /field extensions\.0\.module: \S+extInvariant\.ts not loaded: the archive file lies in no project .*name it with --invariant PATH/,
    );
    const named = await spawnCli(['replay', '--invariant', inv, moved]);
    expect(named.code, named.err).toBe(1);
    expect(named.out).toMatch(/broke gpu-read-only/);
  });

  it('report and list never import an extension module a case names', async () => {
    const dir = inProject();
    const marker = join(dir, 'ran');
    const evil = join(dir, 'evil.mjs');
    writeFileSync(
      evil,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default { id: 'evil', cls: 'coherence', meaning: 'never', check: () => null };\n`,
    );
    const archive = join(dir, 'cx');
    mkdirSync(archive);
    const found = await spawnCli([
      ...RUN,
      '--seed',
      '1',
      '--suite',
      'mirror',
      '--invariant',
      'test/fixtures/extInvariant.ts',
      '--archive',
      archive,
    ]);
    expect(found.code, found.err).toBe(1);
    const file = onlyCase(archive);
    const cx = JSON.parse(readFileSync(file, 'utf8')) as { extensions: Array<{ module: string }> };
    writeFileSync(
      file,
      JSON.stringify({ ...cx, extensions: cx.extensions.map((x) => ({ ...x, module: '../evil.mjs' })) }),
    );
    await refused(['report', file], /never loads a module an archive names; name it with --invariant PATH/);
    expect((await spawnCli(['list', archive])).code).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('explore --scope PATH records the scope module', async () => {
    const dir = inProject();
    const scope = join(dir, 'extScope.ts');
    copyFileSync('test/fixtures/extScope.ts', scope);
    const archive = join(dir, 'cx');
    const r = await spawnCli([
      'explore',
      '--driver',
      'no-read-retry',
      '--scope',
      scope,
      '--depth',
      '4',
      '--archive',
      archive,
    ]);
    expect(r.code, r.err).toBe(1);
    const file = onlyCase(archive);
    const cx = parseCounterexample(file, JSON.parse(readFileSync(file, 'utf8')));
    expect(cx.extensions?.map((x) => [x.kind, x.module])).toEqual([['scope', '../extScope.ts']]);
    expect((await spawnCli(['replay', file])).code).toBe(1);
  });
});
