// svmcheck explore: exhaustive breadth-first exploration of one driver at a small scope.
import { explore, type ExploreResult } from '../../explore/explore.js';
import { exploreCounterexample } from '../../explore/exploreCounterexample.js';
import { smallestScope } from '../../explore/scopes.js';
import { exploreJson } from '../../report/exploreJson.js';
import { formatExploreText } from '../../report/exploreText.js';
import type { Io } from '../io.js';
import { archiveFlag } from '../archiveFlag.js';
import { loadDriver } from '../loadDriver.js';
import { loadScope } from '../loadScope.js';
import { shellWord } from '../shellWord.js';
import { recordFailure } from '../recordFailure.js';
import { archivedJson, archivedLine } from '../archivedOutput.js';
import { intFlag, parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';
import { kernelFlag } from '../kernelFlag.js';
import { DEFAULT_KERNEL } from '../../model/kernelVersion.js';
import type { ExploreOptions } from '../../explore/explore.js';
import type { Scope } from '../../explore/scope.js';
import { exploreOnWorkers } from '../../explore/workers/exploreOnWorkers.js';
import { exploreWorkerPool } from '../exploreWorkerPool.js';
import { stepNames } from '../guardDriver.js';
import type { LoadedDriver } from '../loadDriver.js';

export async function exploreCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('explore', argv);
  if (p.positional.length) throw new UsageError(`svmcheck explore: unexpected argument '${p.positional[0]}'`);
  const loaded = await loadDriver(String(p.flags['driver'] ?? 'reference'));
  const { driver } = loaded;
  const archive = archiveFlag('explore', p.flags['archive']);
  // Without --scope: the smallest scope whose operations the driver uses.
  // A built-in scope by name, or --scope PATH: a module exporting one.
  const given = await loadScope(String(p.flags['scope'] ?? smallestScope(driver).name));
  const named = given.scope;
  const kernel = kernelFlag('explore', p.flags['kernel']) ?? DEFAULT_KERNEL;
  const scope = { ...named, config: { ...named.config, kernel } };
  const depth = intFlag('explore', p, 'depth', scope.depth);
  const maxStates = intFlag('explore', p, 'max-states');
  const symmetry = !p.flags['no-symmetry'];
  const reduce = p.flags['reduce'] === true;
  const canonicalIds = p.flags['spawn-order-ids'] !== true;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const workers = intFlag('explore', p, 'workers');
  const stepTimeout = intFlag('explore', p, 'step-timeout');
  let r: ExploreResult;
  try {
    r = await exploreWith(
      workers,
      loaded,
      scope,
      { depth, maxStates, symmetry, reduce, canonicalIds },
      stepTimeout,
    );
  } catch (e) {
    // The explorer stores states as data: a driver keeping anything else in its state cannot be explored.
    if (e instanceof Error && e.message.startsWith('state codec:'))
      throw new UsageError(
        `svmcheck explore: driver '${driver.name}' keeps something other than plain data in its state or locals (${e.message})`,
      );
    throw e;
  }
  const cpu = process.cpuUsage(c0);
  const secs = (cpu.user + cpu.system) / 1e6;
  const wall = (performance.now() - t0) / 1000;
  const cx = r.violation ? exploreCounterexample(driver, scope, r.violation, r.distinct) : null;
  const replay = `npx svmcheck explore --driver ${shellWord(loaded.module ?? driver.name)} --scope ${shellWord(given.module ?? scope.name)} --depth ${depth}${symmetry ? '' : ' --no-symmetry'}${reduce ? ' --reduce' : ''}${canonicalIds ? '' : ' --spawn-order-ids'} --kernel ${kernel}`;
  // Archived like run's failures: the suite names the scope, and replay FILE re-executes the program.
  const recorded = cx
    ? await recordFailure({
        command: 'explore',
        failure: cx,
        loaded,
        suite: `explore:${scope.name}`,
        seed: 0,
        archiveDir: archive,
        replay,
        extensions: given.module ? [{ kind: 'scope', path: given.module }] : [],
      })
    : null;
  const a = recorded?.archived ?? null;
  if (p.flags['json'])
    io.out(
      JSON.stringify({
        ...exploreJson(r, cx, replay),
        ...(a ? { archived: archivedJson(a) } : {}),
      }),
    );
  else {
    io.out(formatExploreText(r, scope, cx, replay));
    if (a) io.out(archivedLine(a));
  }
  const rate = (n: number): string => Math.round(n / Math.max(secs, 1e-9)).toLocaleString('en-US');
  io.err(
    `svmcheck explore: ${wall.toFixed(2)} s (${secs.toFixed(2)} s CPU), ${rate(r.distinct)} distinct states/s, ${rate(r.generated)} transitions/s; visited set and paths ${(r.bookkeepingBytes / 2 ** 20).toFixed(1)} MiB, largest frontier ${(r.frontierBytes / 2 ** 20).toFixed(1)} MiB`,
  );
  // Cut short by --max-states and nothing found: not a pass (exit 3), so CI does not read it as one.
  return cx ? 1 : r.depthCompleted < r.depth ? 3 : 0;
}

/**
 * In process, or its depths expanded on `workers` threads that load the driver themselves. A
 * driver loaded by path is always expanded on worker threads (one at least), under the step
 * watchdog: a step of its JavaScript that never returns can only be stopped from another thread.
 */
async function exploreWith(
  workers: number,
  loaded: LoadedDriver,
  scope: Scope,
  opts: ExploreOptions,
  stepTimeout: number,
): Promise<ExploreResult> {
  if (workers <= 1 && !loaded.module) return explore(loaded.driver, scope, opts);
  const watch = loaded.module
    ? { timeoutMs: stepTimeout * 1000, names: stepNames(loaded.driver) }
    : undefined;
  const pool = exploreWorkerPool(workers, loaded.module ?? loaded.driver.name, scope, opts, watch);
  try {
    return await exploreOnWorkers(loaded.driver, scope, opts, pool);
  } finally {
    await pool.close();
  }
}
