// An archive file is data: report, list and upgrade never import a module it names, and replay
// imports one only when the user names it (--driver PATH) or it lies inside the project that holds
// the archive (symlinks and `..` resolved). Each evil module writes a marker file when imported.
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import { caseFixture } from './caseFixture.js';
import { spawnCli } from './spawnCli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'svmcheck-evil-'));

/** A module that leaves `marker` behind when imported, and exports a real driver. */
function evilModule(path: string, marker: string): void {
  const driver = pathToFileURL(resolve('dist/drivers/broken/noReadRetry.js')).href;
  writeFileSync(
    path,
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport { noReadRetry as default } from ${JSON.stringify(driver)};\n`,
  );
}

let cx: CounterexampleFile;
beforeAll(async () => {
  cx = await caseFixture();
});

function evilCase(dir: string, module: string | null, name = cx.driver.name): string {
  const file = join(dir, 'evil.json');
  writeFileSync(file, JSON.stringify({ ...cx, driver: { ...cx.driver, name, module } }));
  return file;
}

async function refusedUnrun(args: string[], marker: string, msg: RegExp): Promise<void> {
  const r = await spawnCli(args);
  expect(r.code, r.err + r.out).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(msg);
  expect(existsSync(marker), `${args.join(' ')} executed the module`).toBe(false);
}

describe('opening an archive file runs no code', () => {
  it('refuses a module outside the archive, absolute or ../, in every command, exit 2 naming the path', async () => {
    const outside = tmp();
    const marker = join(outside, 'ran');
    const evil = join(outside, 'evil.mjs');
    evilModule(evil, marker);
    // An archive inside a project, naming a module outside it.
    const project = tmp();
    writeFileSync(join(project, 'package.json'), '{"name":"victim"}');
    const archive = join(project, 'counterexamples');
    mkdirSync(archive);
    for (const module of [evil, `../../${outside.split('/').pop()}/evil.mjs`]) {
      const file = evilCase(archive, module);
      const named = new RegExp(
        `field driver\\.module: ${evil.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} not loaded`,
      );
      await refusedUnrun(['replay', file], marker, named);
      await refusedUnrun(['replay', file, '--json'], marker, /outside the project .* --driver PATH/);
      await refusedUnrun(['report', file], marker, named);
      await refusedUnrun(['report', file, '--format', 'json'], marker, /never loads a module/);
      const list = await spawnCli(['list', archive]);
      expect(list.code).toBe(0);
      expect(existsSync(marker)).toBe(false);
    }
    // A driver "name" that is a path is never loaded as one.
    const byName = evilCase(archive, null, evil);
    await refusedUnrun(['replay', byName], marker, /field driver\.name: unknown driver/);
    await refusedUnrun(['report', byName], marker, /field driver\.name: unknown driver/);
    // A schemaVersion 1 file naming a module: upgrade refuses unless --driver names it.
    const v1 = join(archive, 'old.json');
    writeFileSync(
      v1,
      JSON.stringify({
        schemaVersion: 1,
        title: 't',
        status: 'expected',
        driver: evil,
        invariant: cx.violation.invariant,
        message: 'm',
        suite: 'default',
        seed: 1,
        program: cx.program,
      }),
    );
    await refusedUnrun(['upgrade', v1], marker, /field driver: .* upgrade never loads a module/);
  });

  it('refuses a symlink inside the project that points outside it', async () => {
    const outside = tmp();
    const marker = join(outside, 'ran');
    evilModule(join(outside, 'evil.mjs'), marker);
    const project = tmp();
    mkdirSync(join(project, '.git'));
    symlinkSync(join(outside, 'evil.mjs'), join(project, 'driver.mjs'));
    const file = evilCase(project, 'driver.mjs');
    await refusedUnrun(['replay', file], marker, /driver\.mjs not loaded: it lies outside the project/);
  });

  it('replay loads a module inside the project, or one the user names with --driver', async () => {
    const project = tmp();
    writeFileSync(join(project, 'package.json'), '{"name":"mine"}');
    mkdirSync(join(project, 'drivers'));
    mkdirSync(join(project, 'counterexamples'));
    const marker = join(project, 'ran');
    evilModule(join(project, 'drivers', 'mine.mjs'), marker);
    const file = evilCase(join(project, 'counterexamples'), '../drivers/mine.mjs');
    const r = await spawnCli(['replay', file]);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain(`broke ${cx.violation.invariant}`);
    expect(existsSync(marker)).toBe(true);
    // report never loads it by itself, but renders it when the user names the module.
    const refused = await spawnCli(['report', file]);
    expect(refused.code).toBe(2);
    const named = await spawnCli(['report', file, '--driver', join(project, 'drivers', 'mine.mjs')]);
    expect(named.code, named.err).toBe(0);
    expect(named.out.split('\n')[0]).toBe(`# ${cx.title}`);
    // Outside any project, --driver is the only way.
    const loose = tmp();
    const lmarker = join(loose, 'ran');
    evilModule(join(loose, 'd.mjs'), lmarker);
    const lfile = evilCase(loose, 'd.mjs');
    await refusedUnrun(['replay', lfile], lmarker, /lies in no project/);
    const ok = await spawnCli(['replay', lfile, '--driver', join(loose, 'd.mjs')]);
    expect(ok.code, ok.err).toBe(1);
    expect(existsSync(lmarker)).toBe(true);
  });
});
