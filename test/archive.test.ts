// The counterexample file format and its loader: the committed JSON Schema is the exported one,
// every kind of bad file is refused with a message naming the file and field (and nothing but the
// tool's own error ever escapes the loader), and replays notice operations that no longer apply.
import { fc, it as fcIt } from '@fast-check/vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../archive/archiveError.js';
import { counterexampleJsonSchema } from '../archive/counterexampleJsonSchema.js';
import { fingerprint } from '../archive/fingerprint.js';
import { loadCounterexampleFile, MAX_FILE_BYTES } from '../archive/loadCounterexampleFile.js';
import { parseCounterexample } from '../archive/parseCounterexample.js';
import { replayArchived } from '../archive/replayArchived.js';
import { statusProblems } from '../archive/statusProblems.js';
import { noReadRetry } from '../drivers/broken/noReadRetry.js';
import { reference } from '../drivers/reference.js';
import { statusProblemText } from '../report/statusProblemText.js';
import { caseFixture, FIXTURE_PROGRAM } from './caseFixture.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'svmcheck-archive-'));

function loadError(path: string): string {
  try {
    loadCounterexampleFile(path);
  } catch (e) {
    expect(e).toBeInstanceOf(ArchiveError);
    return (e as Error).message;
  }
  throw new Error(`${path} loaded`);
}

describe('counterexample files', () => {
  it('counterexamples/schema.json is exactly the JSON Schema the zod schema exports', () => {
    const committed = readFileSync('counterexamples/schema.json', 'utf8');
    expect(committed).toBe(`${JSON.stringify(counterexampleJsonSchema(), null, 2)}\n`);
  });

  it('a record written by svmcheck loads back unchanged', async () => {
    const cx = await caseFixture();
    const f = join(tmp(), 'ok.json');
    writeFileSync(f, JSON.stringify(cx, null, 2));
    expect(loadCounterexampleFile(f)).toEqual(cx);
  });

  it('the fingerprint is sha256 over the invariant and the canonical program (key order does not matter)', async () => {
    const cx = await caseFixture();
    const reverse = (x: unknown): unknown =>
      Array.isArray(x)
        ? x.map(reverse)
        : x && typeof x === 'object'
          ? Object.fromEntries(
              Object.entries(x)
                .reverse()
                .map(([k, v]) => [k, reverse(v)]),
            )
          : x;
    const shuffled = reverse(cx.program) as typeof cx.program;
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(cx.program));
    expect(fingerprint(cx.violation.invariant, shuffled)).toBe(cx.fingerprint);
    expect(fingerprint('value-coherence', cx.program)).not.toBe(cx.fingerprint);
  });

  it.each<[string, (cx: Record<string, unknown>) => unknown, RegExp]>([
    ['future version', (cx) => ({ ...cx, schemaVersion: 4 }), /schemaVersion 4 is newer than this svmcheck/],
    ['older version', (cx) => ({ ...cx, schemaVersion: 1 }), /schemaVersion 1 is an older format/],
    ['missing field', ({ title: _t, ...cx }) => cx, /field title: /],
    ['bad status', (cx) => ({ ...cx, status: 'maybe' }), /field status: /],
    ['unknown field', (cx) => ({ ...cx, colour: 'red' }), /\(top level\): .*colour/],
    [
      'bad operation',
      (cx) => ({ ...cx, program: { ...(cx['program'] as object), ops: [{ op: 'reboot' }] } }),
      /field program\.ops\.0\.op/,
    ],
    [
      'edited program',
      (cx) => ({ ...cx, program: { ...(cx['program'] as object), faults: [1] } }),
      /field fingerprint: does not match/,
    ],
    [
      'resolutions',
      (cx) => ({ ...cx, resolutions: ['applied'] }),
      /field resolutions: 1 entries for 3 operations/,
    ],
    [
      'unknown invariant',
      (cx) => ({ ...cx, violation: { ...(cx['violation'] as object), invariant: 'nope' } }),
      /field violation\.invariant: unknown invariant 'nope'/,
    ],
    ['not an object', () => [1, 2], /expected a JSON object/],
  ])('refuses a file with %s, naming the file and field', async (_name, damage, msg) => {
    const f = join(tmp(), 'case.json');
    writeFileSync(f, JSON.stringify(damage((await caseFixture()) as unknown as Record<string, unknown>)));
    const m = loadError(f);
    expect(m).toMatch(msg);
    expect(m.startsWith(f)).toBe(true);
  });

  it('refuses truncated, malformed, oversized, missing files and directories', async () => {
    const d = tmp();
    const text = JSON.stringify(await caseFixture());
    writeFileSync(join(d, 'truncated.json'), text.slice(0, text.length / 2));
    expect(loadError(join(d, 'truncated.json'))).toMatch(
      /truncated\.json: not valid JSON, truncated or malformed/,
    );
    writeFileSync(join(d, 'malformed.json'), "{'schemaVersion': 2}");
    expect(loadError(join(d, 'malformed.json'))).toMatch(/malformed\.json: not valid JSON/);
    writeFileSync(join(d, 'big.json'), Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
    expect(loadError(join(d, 'big.json'))).toMatch(
      /big\.json: 10485761 bytes is over the 10485760-byte limit/,
    );
    expect(loadError(join(d, 'absent.json'))).toMatch(/absent\.json: no such file/);
    mkdirSync(join(d, 'dir.json'));
    expect(loadError(join(d, 'dir.json'))).toMatch(/dir\.json: not a regular file/);
  });

  fcIt.prop([fc.jsonValue()], { numRuns: 300 })(
    'any JSON value: parsed or refused with ArchiveError',
    (json) => {
      try {
        parseCounterexample('x.json', json);
      } catch (e) {
        expect(e).toBeInstanceOf(ArchiveError);
      }
    },
  );

  it('any JSON value at any place of a valid record: parsed or refused with ArchiveError', async () => {
    const good = (await caseFixture()) as unknown as Record<string, unknown>;
    const paths: string[][] = [];
    const walk = (x: unknown, p: string[]): void => {
      paths.push(p);
      if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, [...p, k]);
    };
    walk(good, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
        const cx = structuredClone(good);
        if (path.length === 0) return;
        let o = cx as Record<string, unknown>;
        for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
        o[path[path.length - 1] as string] = value;
        try {
          parseCounterexample('x.json', cx);
        } catch (e) {
          expect(e).toBeInstanceOf(ArchiveError);
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  fcIt.prop([fc.string({ unit: 'binary', maxLength: 300 })], { numRuns: 100 })(
    'any file content: loaded or refused with ArchiveError',
    (text) => {
      const f = join(tmp(), 'any.json');
      writeFileSync(f, text);
      try {
        loadCounterexampleFile(f);
      } catch (e) {
        expect(e).toBeInstanceOf(ArchiveError);
      }
    },
  );
});

describe('replaying an archived case', () => {
  it('names the operation that no longer applies', async () => {
    // A CPU write before anything is mapped is skipped; the record below claims it was applied.
    const program = {
      ...FIXTURE_PROGRAM,
      ops: [{ op: 'cpu_write', on: 0, proc: 0, vma: 0, off: 0 } as const, ...FIXTURE_PROGRAM.ops],
      schedule: [0, ...FIXTURE_PROGRAM.schedule],
    };
    const cx = await caseFixture(program);
    expect(cx.resolutions[0]).toBe('skipped');
    const stale = { ...cx, resolutions: cx.resolutions.map(() => 'applied' as const) };
    const r = replayArchived(stale, noReadRetry);
    const problems = statusProblems(stale, r).map((p) => statusProblemText(p, stale));
    expect(problems).toEqual([
      'step 1 (CPU write VMA #0 page 0) no longer applies: it was applied when archived and is skipped now (the model or generators changed under this case)',
    ]);
  });

  it('holds a case to its status: expected must still fail, fixed must pass', async () => {
    const cx = await caseFixture();
    expect(statusProblems(cx, replayArchived(cx, noReadRetry))).toEqual([]);
    const onReference = replayArchived(cx, reference);
    expect(onReference.verdict).toBe('passes');
    expect(statusProblems(cx, onReference)).toEqual([
      { k: 'no-longer-violates', invariant: 'no-gpu-pte-after-munmap' },
    ]);
    const fixed = { ...cx, status: 'fixed' as const };
    expect(statusProblems(fixed, onReference)).toEqual([]);
    expect(statusProblems(fixed, replayArchived(fixed, noReadRetry))).toEqual([
      { k: 'still-violates', invariant: 'no-gpu-pte-after-munmap' },
    ]);
  });
});
