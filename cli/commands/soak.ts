// svmcheck soak: every correct driver on every suite it runs, with several seeds, for a time budget
// (check/soak.ts). A pass says what it covered: runs, seeds and seconds per driver and suite, and
// the runs whose liveness stayed undecided or that took a path the model does not cover. A failure
// prints its counterexample with the `svmcheck run` command that replays it; exit 1.
import { soak, soakTotals, type SoakSlot } from '../../check/soak.js';
import { inProcessExecutor } from '../../check/inProcessExecutor.js';
import { BUILTIN_DRIVERS } from '../../drivers/builtins.js';
import { formatFailureText } from '../../report/text.js';
import type { Io } from '../io.js';
import { intFlag, parseArgs } from '../parseArgs.js';
import { randomSeed } from '../runOptions.js';
import { UsageError } from '../usageError.js';
import { workerExecutor } from '../workerExecutor.js';
import { kernelFlag } from '../kernelFlag.js';
import { DEFAULT_KERNEL, type KernelVersion } from '../../model/kernelVersion.js';

const xnackWords = (x: 'on' | 'off' | undefined): string => (x ? ` --xnack ${x}` : '');

/** A driver as the soak names it: with its XNACK mode when it follows one. */
const pairName = (p: { driver: string; xnack?: 'on' | 'off' }): string =>
  `${p.driver}${p.xnack ? ` xnack ${p.xnack}` : ''}`;

const replayOf = (s: SoakSlot, kernel: KernelVersion): string =>
  `npx svmcheck run --driver ${s.driver} --kernel ${kernel}${xnackWords(s.xnack)} --suite ${s.suite} --seed ${s.seed} --path ${s.failure?.path ?? ''}`;

const slotWord = (s: SoakSlot): string => (!s.failure ? 'ok  ' : s.known ? 'open' : 'FAIL');

const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, n) => a + n, 0);

/** Runs that broke an open finding, per invariant: "12 on open findings (forward-progress 12)". */
const knownWords = (r: Record<string, number>): string =>
  `${sum(r)} on open findings (${Object.entries(r)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')})`;

export async function soakCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('soak', argv);
  if (p.positional.length) throw new UsageError(`svmcheck soak: unexpected argument '${p.positional[0]}'`);
  const names = typeof p.flags['driver'] === 'string' ? p.flags['driver'].split(',') : null;
  const correct = BUILTIN_DRIVERS.filter((d) => !d.broken);
  for (const n of names ?? [])
    if (!correct.some((d) => d.name === n))
      throw new UsageError(
        `svmcheck soak: --driver '${n}' is not a correct built-in driver (${correct.map((d) => d.name).join(', ')})`,
      );
  const drivers = names ? correct.filter((d) => names.includes(d.name)) : correct;
  const runs = p.flags['runs'] === undefined ? undefined : intFlag('soak', p, 'runs');
  // --runs alone: the runs bound the soak, and the time is only a safety net.
  const seconds = intFlag('soak', p, 'time', runs === undefined ? undefined : 604_800);
  const seeds = intFlag('soak', p, 'seeds');
  const seed = intFlag('soak', p, 'seed', randomSeed());
  const workers = intFlag('soak', p, 'workers');
  const kernel = kernelFlag('soak', p.flags['kernel']) ?? DEFAULT_KERNEL;
  const json = p.flags['json'] === true;
  if (!json)
    io.out(
      `soak: ${drivers.map((d) => d.name).join(', ')} on every suite they run, Linux ${kernel} rules, ${seeds} seed${seeds === 1 ? '' : 's'} each (from --seed ${seed}), ${runs === undefined ? '' : `${runs} runs per driver and suite, `}${seconds} s at most`,
    );
  const r = await soak(drivers, {
    seconds,
    ...(runs === undefined ? {} : { runs }),
    seed,
    seeds,
    executor: (d, profile) =>
      workers > 1
        ? workerExecutor(workers, d.name, profile.name, kernel, profile.xnack ? { xnack: profile.xnack } : {})
        : inProcessExecutor(d, { ...profile, kernel }),
    onSlot: (s) => {
      if (json) return;
      const extra = [
        ...(s.resumed ? ['resumed'] : []),
        ...(s.undecided ? [`${s.undecided} undecided`] : []),
        ...(s.notModelled ? [`${s.notModelled} not modelled`] : []),
        ...(sum(s.knownRuns) ? [knownWords(s.knownRuns)] : []),
      ];
      io.out(
        `  ${slotWord(s)}  ${pairName(s).padEnd(16)} ${s.suite.padEnd(10)} seed ${String(s.seed).padStart(11)}  ${String(s.runs).padStart(9)} runs  ${s.seconds.toFixed(1).padStart(6)} s${extra.length ? `  (${extra.join(', ')})` : ''}${s.failure ? `  ${s.failure.violation.invariant}` : ''}`,
      );
    },
  });
  const failed = r.slots.filter((s) => s.failure && !s.known);
  const open = r.slots.filter((s) => s.known);
  const totals = soakTotals(r.slots);
  if (json) {
    io.out(
      JSON.stringify({
        ok: failed.length === 0,
        seed,
        seeds,
        seconds: r.seconds,
        runs: r.runs,
        ...(runs === undefined ? {} : { runsPerPair: runs }),
        pairs: totals,
        slots: r.slots.map((s) => ({
          driver: s.driver,
          suite: s.suite,
          ...(s.xnack ? { xnack: s.xnack } : {}),
          seed: s.seed,
          runs: s.runs,
          steps: s.steps,
          seconds: s.seconds,
          undecided: s.undecided,
          notModelled: s.notModelled,
          knownRuns: s.knownRuns,
          violation: s.failure
            ? {
                invariant: s.failure.violation.invariant,
                openFinding: s.known,
                ...(s.kernelFinding ? { kernelFinding: s.kernelFinding } : {}),
                replay: replayOf(s, kernel),
              }
            : null,
        })),
      }),
    );
    return failed.length ? 1 : 0;
  }
  for (const s of failed) {
    const report = {
      driver: s.driver,
      profile: s.suite,
      seed: s.seed,
      runs: s.runs,
      steps: s.steps,
      stats: {},
      runsWith: {},
      interrupted: false,
      failure: s.failure,
    };
    io.out('');
    io.out(formatFailureText(report, replayOf(s, kernel)));
  }
  for (const s of open)
    io.out(
      `\nopen  ${pairName(s)} ${s.suite} seed ${s.seed}: ${s.failure?.violation.invariant ?? ''}, ${s.kernelFinding ? `Linux ${kernel}'s known upstream bug ${s.kernelFinding} (model/kernelFindings.ts)` : "one of the driver's open findings (upstream behaviour, archived as an open case)"}; replay: ${replayOf(s, kernel)}`,
    );
  io.out('\nper driver and suite:');
  for (const t of totals)
    io.out(
      `  ${pairName(t).padEnd(16)} ${t.suite.padEnd(10)} ${String(t.runs).padStart(10)} runs over ${t.seeds} seed${t.seeds === 1 ? '' : 's'}${runs === undefined ? '' : t.reached ? `  (${runs} reached)` : `  (short of ${runs})`}${sum(t.knownRuns) ? `; ${knownWords(t.knownRuns)}` : ''}`,
    );
  const undecided = r.slots.reduce((a, s) => a + s.undecided, 0);
  const notModelled = r.slots.reduce((a, s) => a + s.notModelled, 0);
  const knownRuns = r.slots.reduce((a, s) => a + sum(s.knownRuns), 0);
  io.out(
    `\n${failed.length ? 'FAIL' : 'ok  '}  soak: ${r.runs} runs, ${r.slots.length} driver x suite x seed slots, ${r.seconds.toFixed(0)} s: ${failed.length} failing slot${failed.length === 1 ? '' : 's'}${open.length ? `, ${open.length} ending on an open finding` : ''}; ${knownRuns} runs on a driver's open finding (tallied, not failures); ${undecided} runs with liveness undecided, ${notModelled} not modelled${runs === undefined ? '' : `; ${totals.filter((t) => !t.reached).length} of ${totals.length} driver x suite pairs short of ${runs} runs`}`,
  );
  return failed.length ? 1 : 0;
}
