// The conformance pipeline without a VM: program text round trip, generator determinism, the model
// executor on the recorded sample run, serial parsing with kernel messages spliced into runner
// lines, attribution of kernel reports to programs, and how disagreements are named.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRun } from '../conformance/compareRun.js';
import { formatPrograms } from '../conformance/formatProgram.js';
import { parsePrograms } from '../conformance/parsePrograms.js';
import { parseSerial, RUNNER_KEYS } from '../conformance/parseSerial.js';
import { generatePrograms } from '../conformance/programArb.js';
import { runOnModel } from '../conformance/runOnModel.js';
import { splitRuns } from '../conformance/splitRuns.js';

const kernelFile = (f: string): string =>
  readFileSync(new URL(`../conformance/kernel/${f}`, import.meta.url), 'utf8');

describe('conformance programs', () => {
  it('format and parse are inverse', () => {
    const progs = generatePrograms(200, 9);
    expect(parsePrograms('gen', formatPrograms(progs))).toEqual(progs);
  });

  it('the same seed gives the same programs, another seed others', () => {
    expect(generatePrograms(50, 3)).toEqual(generatePrograms(50, 3));
    expect(generatePrograms(50, 3)).not.toEqual(generatePrograms(50, 4));
  });

  it('a bad programs file is reported with its line', () => {
    expect(() => parsePrograms('f', 'program 1\nmmap 0 2 rw 0\nbogus 1\nend\n')).toThrow(
      /f:3: unknown step 'bogus'/,
    );
    expect(() => parsePrograms('f', 'program 1\nread 0 0\n')).toThrow(/missing 'end'/);
  });
});

describe('the model against recorded kernel runs', () => {
  for (const [programs, out] of [
    ['sample.programs', 'sample.out'],
    ['offbyone.programs', 'offbyone.out'],
  ] as const) {
    it(`predicts ${out} line for line (kernel-placed mmap aside)`, () => {
      const progs = parsePrograms(programs, kernelFile(programs));
      const { runs } = splitRuns(parseSerial(kernelFile(out)), progs);
      for (const p of progs) {
        const kr = runs.get(p.id);
        expect(kr).toBeDefined();
        if (!kr) continue;
        // These files predate mmap_at: the kernel's first step is a kernel-placed "mmap".
        const kernel = { ...kr, lines: kr.lines.map((l) => (l.op === 'mmap' ? { ...l, op: 'mmap_at' } : l)) };
        expect(compareRun(runOnModel(p, '6.1'), kernel).disagreements).toEqual([]);
      }
    });
  }
});

describe('serial console parsing', () => {
  const console_ = [
    'Linux version 6.1.192',
    '@@SVM {"op":"runner","version":2,"programs":2,"kernel":"6.1.192"}',
    '@@SVM {"p":1,"proc":0,"op":"begin"}',
    '@@SVM {"p":1,"proc":0,"s":0,"op":"mmap_at","ret":0,"er------------[ cut here ]------------',
    'WARNING: CPU: 0 PID: 86 at lib/test_hmm.c:280 0xffffffff8112b175',
    'rno":0}',
    '@@SVM {"p":1,"proc":0,"op":"end","steps":1}',
    '@@SVM {"p":1,"op":"exit","status":"exit:0"}',
    '@@SVM {"p":2,"proc":0,"op":"begin"}',
    'BUG: unable to handle page fault for address: ff1100ffffffe000',
    'Oops: 0000 [#1] SMP',
  ].join('\r\n');

  it('mends a runner line that a kernel message was printed into', () => {
    const s = parseSerial(console_);
    expect(s.lines.map((l) => l.op)).toEqual(['begin', 'mmap_at', 'end', 'exit', 'begin']);
    expect(s.lines[1]).toEqual({ p: 1, proc: 0, s: 0, op: 'mmap_at', ret: 0, errno: 0 });
    expect(s.garbled).toEqual([]);
  });

  it('mends a runner line cut by a message with no timestamp, at the cut that gives runner keys', () => {
    // CI, Linux 6.12, seed 1, program 244: the clocksource watchdog printed into a read's line.
    const s = parseSerial(
      [
        '@@SVM {"p":244,"proc":0,"s":11,"op":"write","ret":0}',
        '@@SVM {"p":244,"proc":0,"s":12,"op":"read","valuclocksource: Long readout interval, skipping watchdog check: cs_nsec: 1067702281 wd_nsec: 1067702460',
        'e":51645}',
        '@@SVM {"p":244,"proc":0,"s":13,"op":"write","ret":0}',
      ].join('\r\n'),
    );
    expect(s.lines[1]).toEqual({ p: 244, proc: 0, s: 12, op: 'read', value: 51645 });
    expect(s.lines).toHaveLength(3);
    expect(s.garbled).toEqual([]);
  });

  it('knows every key runner.c prints, so a mend at any cut can be checked against them', () => {
    const src = readFileSync(new URL('../conformance/kernel/runner.c', import.meta.url), 'utf8');
    const keys = new Set([...src.matchAll(/\\"([a-z_]+)\\":/g)].map((m) => m[1]));
    expect([...keys].sort()).toEqual([...RUNNER_KEYS].sort());
  });

  it('gives each kernel report to the program that was running, and a crash ends that program', () => {
    const s = parseSerial(console_);
    const progs = [
      { id: 1, steps: [] },
      { id: 2, steps: [] },
      { id: 3, steps: [] },
    ];
    const { runs, lost } = splitRuns(s, progs);
    expect(runs.get(1)?.events.map((e) => [e.kind, e.at])).toEqual([['warning', 'lib/test_hmm.c:280']]);
    expect(runs.get(1)?.end).toBe('ok');
    expect(runs.get(2)?.end).toBe('oops');
    expect(lost).toEqual([3]);
  });
});

describe('disagreements', () => {
  it('are named by step and differing fields, and count kernel WARNINGs against predicted ones', () => {
    const [p] = parsePrograms('t', 'program 1\nmmap_at 0 448 2 rw 0\ndm_snapshot 0 0 0 2\nend\n');
    if (!p) throw new Error('no program');
    const m = runOnModel(p, '6.1');
    const lines = m.lines.map((l) => (l.op === 'dm_snapshot' ? { ...l, snap: [2, 0] } : l));
    const warning = { kind: 'warning' as const, at: 'lib/test_hmm.c:280', text: ['WARNING'], afterLine: 2 };
    const v = compareRun(m, { lines, end: 'ok', events: [warning] });
    expect(v.disagreements.map((d) => d.kind)).toEqual([
      'dm_snapshot.snap',
      'kernel WARNING at lib/test_hmm.c:280',
    ]);
  });
});
