// The starting file `svmcheck new-driver NAME --from BASE` writes: a driver that runs as it is (the
// base with one step spelled out, or the base itself), commented with what to change and how to
// run it, and the list of the base's procedures and steps a withSteps override can replace.
import { match } from 'ts-pattern';
import type { Driver } from '../model/driver.js';

export type TemplateBase = 'mirror' | 'reference' | 'gpusvm';

const SUITE: Record<TemplateBase, string> = { mirror: 'mirror', reference: 'ranges', gpusvm: 'ranges' };

/** The base's procedures and their steps, as comment lines. */
function stepList(base: Driver): string[] {
  return Object.entries(base.procs).map(([name, p]) => `//   ${name}: ${Object.keys(p.steps).join(', ')}`);
}

/** The mirror's invalidate callback, spelled out on the public API: the one step a first variant changes. */
const MIRROR_BODY = `export default defineDriver(
  withSteps<MirrorInvalidateLocals>(
    mirror,
    'invalidate',
    {
      // mmu_interval_notifier_ops.invalidate: the CPU page table is changing over [l.start, l.end)
      // of process l.pid (l.event says why: unmap, clear, protection, migrate, ...). The driver
      // must move the interval sequence (so a fault that raced it retries) and zap the GPU PTEs,
      // under the lock its fault handler commits under. Drop a line and run: svmcheck shows why.
      start(env, l) {
        const lock = \`driver_mutex:gpu\${l.tag}\`;
        const b = lockOrBlock(env, lock, 'w');
        if (b) return b;
        setSeq(env.s, l.nid, l.seq);
        gpuZap(env, l.tag, l.pid, l.start, l.end);
        unlock(env, lock);
        return ret(true);
      },
    },
    { name: NAME, summary: SUMMARY },
  ),
);
`;

function body(from: TemplateBase): { imports: string; code: string } {
  return match(from)
    .with('mirror', () => ({
      imports: `import { defineDriver, gpuZap, lockOrBlock, mirror, ret, setSeq, unlock, withSteps } from 'svmcheck/driver';
import type { MirrorInvalidateLocals } from 'svmcheck/driver';`,
      code: MIRROR_BODY,
    }))
    .with('reference', 'gpusvm', (b) => ({
      imports: `import { defineDriver, ${b} } from 'svmcheck/driver';`,
      code: `// The ${b} driver as it is, under a name of its own. To change one decision, replace the steps
// of one procedure (the list above) with withSteps(${b}, 'PROCEDURE', { STEP(env, l, r) {...} }, ...):
// the steps you do not name stay ${b}'s own code.
export default defineDriver({ ...${b}, name: NAME, summary: SUMMARY });
`,
    }))
    .exhaustive();
}

/** The file's text, for a driver called `name` started from `from` (whose procedures it lists), in NAME.ext. */
export function driverTemplate(name: string, from: TemplateBase, base: Driver, ext: 'ts' | 'mts'): string {
  const { imports, code } = body(from);
  return `// ${name}: a driver for svmcheck, started from the built-in '${from}' driver (svmcheck new-driver).
//
// Run it (exit 1 and a shrunk counterexample when an invariant breaks):
//   npx svmcheck run --driver ${name}.${ext} --suite ${SUITE[from]} --time 60
// Every interleaving of a small scope, exhaustively:
//   npx svmcheck explore --driver ${name}.${ext}
// The guide: docs/writing-a-driver.md in svmcheck. Type-check this file with tsc --noEmit.
//
// A driver is procedures: tables of labelled steps over plain-data locals, each step returning
// goto / yieldTo (a preemption point) / spinTo (a retry loop) / invoke (a call) / ret / block.
// The procedures and steps of '${from}' (withSteps replaces steps by these names):
${stepList(base).join('\n')}
${imports}

const NAME = ${JSON.stringify(name)};
const SUMMARY = 'my variant of the ${from} driver (say what it changes)';

${code}`;
}
