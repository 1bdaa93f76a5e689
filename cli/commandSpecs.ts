// The command table: every command's flags, declared once. Parsing (cli/parseArgs.ts), each
// command's --help and the global usage (cli/usage.ts), and the README's usage block and flag table
// (npm run docs:readme, checked by test/readme.test.ts) are generated from it.
import { SCOPES } from '../explore/scopes.js';
import { PROFILES } from '../generators/profiles.js';
import { WORKLOADS } from '../generators/workloads/workloads.js';
import { COST_POLICIES } from '../drivers/costPolicies/costPolicies.js';
import type { BoolFlag, CommandSpec, IntFlag, StringFlag } from './commandSpec.js';
import { DEFAULT_ARCHIVE } from './archiveFlag.js';
import { CONFORMANCE_KERNELS, DEFAULT_CONFORMANCE_KERNEL } from '../conformance/kernelVersions.js';
import { DEFAULT_KERNEL, KERNEL_VERSIONS } from '../model/kernelVersion.js';

const SEED_RANGE = { min: -(2 ** 31), max: 2 ** 31 - 1 } as const;

const json: BoolFlag = { kind: 'bool', short: 'j', help: 'print one JSON object instead of text' };
const driver: StringFlag = {
  kind: 'string',
  short: 'd',
  value: 'NAME|PATH',
  help: 'a built-in driver (svmcheck drivers) or the path of a module exporting one',
  default: 'reference',
};
const archive: StringFlag = {
  kind: 'string',
  short: 'a',
  value: 'DIR|none',
  help: "the counterexample archive: the driver's cases are replayed first and new ones written there; none leaves it out",
  default: DEFAULT_ARCHIVE,
};
const junit: StringFlag = {
  kind: 'string',
  value: 'FILE',
  help: 'write JUnit XML (one testcase per suite or driver) for CI',
};
const randomSeed: IntFlag = {
  kind: 'int',
  short: 's',
  value: 'N',
  help: 'the seed (default: a random one, printed)',
  ...SEED_RANGE,
};
const replayDriver: StringFlag = {
  kind: 'string',
  short: 'd',
  value: 'PATH',
  help: "the module of a driver loaded by path, for that driver's cases (a module an archive names is loaded only inside the archive's project)",
};
const namedDriver: StringFlag = {
  kind: 'string',
  short: 'd',
  value: 'PATH',
  help: 'the module of a driver loaded by path, for a case of that driver (a module an archive names is never loaded)',
};

// A case found with --invariant or --kernel-patch replays with those modules (its `extensions`);
// these name the ones that lie outside the archive's project, or that the command never loads unnamed.
const caseInvariant: StringFlag = {
  kind: 'string',
  value: 'PATH[,PATH...]',
  help: "invariant modules a case was found with, for a command that loads only named modules or a module outside the archive's project",
};
const caseKernelPatch: StringFlag = {
  kind: 'string',
  value: 'PATH',
  help: "the kernel-patch module a case was found with, for a command that loads only named modules or a module outside the archive's project",
};

const kernel: StringFlag = {
  kind: 'string',
  short: 'k',
  value: KERNEL_VERSIONS.join('|'),
  help: "the Linux release whose core-mm rules the model follows (the README's versioned rules)",
  default: DEFAULT_KERNEL,
};

const stepTimeout: IntFlag = {
  kind: 'int',
  value: 'SECONDS',
  help: "a driver loaded by path: stop the run when one of its steps has not returned after this long (a loop in the driver's JavaScript, exit 70)",
  min: 1,
  max: 3600,
  default: 10,
};

export const COMMAND_SPECS: readonly CommandSpec[] = [
  {
    name: 'run',
    summary:
      "property-based check of one driver under one suite; the driver's archived cases are replayed first; exit 1 with a shrunk counterexample (archived) when an invariant breaks",
    flags: {
      driver,
      kernel,
      xnack: {
        kind: 'string',
        value: 'on|off',
        help: 'whether the GPUs retry page faults (amdgpu.noretry); off only for a driver that models it (kfd); default: not set, which the model reads as on',
      },
      suite: {
        kind: 'string',
        value: 'NAME|PATH',
        help: `the suite: ${PROFILES.map((p) => p.name).join(', ')}, or the path of a module exporting one (default: the driver's own, else default)`,
      },
      invariant: {
        kind: 'string',
        value: 'PATH[,PATH...]',
        help: 'modules exporting invariants of your own, checked after every step beside the built-in ones',
      },
      'kernel-patch': {
        kind: 'string',
        value: 'PATH',
        help: 'a module exporting a kernel patch: core-mm procedures replaced for the run (a proposed mm change)',
      },
      baseline: {
        kind: 'string',
        value: 'NAME|PATH',
        help: 'replay a failure on this driver too (the base a variant was made from) and say whether it fails there as well',
      },
      runs: {
        kind: 'int',
        short: 'n',
        value: 'N',
        help: 'programs to generate (with --time and no --runs: as many as the budget allows)',
        min: 1,
        max: 100_000_000,
        default: 1000,
      },
      seed: randomSeed,
      time: {
        kind: 'int',
        short: 't',
        value: 'SECONDS',
        help: 'a budget: no run starts after it; alone, it bounds the run',
        min: 1,
        max: 86_400,
      },
      'shrink-time': {
        kind: 'int',
        value: 'SECONDS',
        help: 'how long shrinking may go on past the --time budget',
        min: 1,
        max: 86_400,
        default: 30,
      },
      shard: {
        kind: 'string',
        value: 'I/N',
        help: "take share I of N disjoint shares of the run's chunks (same --seed and --runs in every job)",
      },
      workers: {
        kind: 'int',
        short: 'w',
        value: 'N',
        help: 'worker threads running chunks; the output is the same for any N',
        min: 1,
        max: 64,
        default: 1,
      },
      'step-timeout': stepTimeout,
      archive,
      junit,
      progress: {
        kind: 'int',
        value: 'SECONDS',
        help: 'seconds between progress lines on stderr when it is not a terminal (0: no progress lines)',
        min: 0,
        max: 86_400,
        default: 10,
      },
      path: {
        kind: 'string',
        value: 'P',
        help: 'replay one failure: the --path a failing run printed in its Replay line',
      },
      json,
      stats: { kind: 'bool', help: 'print the distribution of operations and outcomes the run exercised' },
    },
  },
  {
    name: 'suites',
    summary:
      'every default suite (mirror, migration, fork, multi-gpu, ranges) against one driver, with a summary: what npm start runs',
    flags: {
      driver,
      kernel,
      runs: {
        kind: 'int',
        short: 'n',
        value: 'N',
        help: 'programs per suite (instead of the --time budget)',
        min: 1,
        max: 100_000_000,
        default: 5000,
      },
      time: {
        kind: 'int',
        short: 't',
        value: 'SECONDS',
        help: 'a budget for all suites together, split evenly: as many runs as fit (the default, 60 s, when --runs is not given)',
        min: 1,
        max: 604_800,
      },
      seed: {
        kind: 'int',
        short: 's',
        value: 'N',
        help: 'the seed, fixed so CI checks the same programs',
        ...SEED_RANGE,
        default: 42,
      },
      'step-timeout': stepTimeout,
      archive,
      junit,
      json,
    },
  },
  {
    name: 'explore',
    summary:
      'every operation and interleaving from the initial state to a depth at a small scope, breadth first; exit 1 with the shortest counterexample (archived) when an invariant breaks',
    flags: {
      driver,
      kernel,
      scope: {
        kind: 'string',
        value: 'NAME|PATH',
        help: `the scope: ${SCOPES.map((s) => s.name).join(', ')}, or the path of a module exporting one (default: the smallest whose operations the driver uses)`,
      },
      depth: {
        kind: 'int',
        value: 'D',
        help: "operations and steps deep (default: the scope's)",
        min: 1,
        max: 64,
      },
      'max-states': {
        kind: 'int',
        value: 'N',
        help: 'stop after this many distinct states',
        min: 1,
        max: 100_000_000,
        default: 1_000_000,
      },
      'no-symmetry': {
        kind: 'bool',
        help: 'do not merge states that differ only by renaming GPUs or processes',
      },
      'spawn-order-ids': {
        kind: 'bool',
        help: "keep activity ids as spawned: do not merge states that differ only in which id an activity got (README 'The explorer')",
      },
      reduce: {
        kind: 'bool',
        help: "partial-order reduction: where an activity's next step touches only its own frames, take that step alone (verdicts as without; README 'The explorer')",
      },
      workers: {
        kind: 'int',
        short: 'w',
        value: 'N',
        help: 'worker threads expanding each depth; the output is the same for any N',
        min: 1,
        max: 64,
        default: 1,
      },
      'step-timeout': stepTimeout,
      archive,
      json,
    },
  },
  {
    name: 'replay',
    args: 'FILE...',
    summary:
      're-execute archived counterexamples, printing their traces; exit 1 if any still breaks an invariant',
    flags: {
      driver: replayDriver,
      invariant: caseInvariant,
      'kernel-patch': caseKernelPatch,
      kernel: {
        kind: 'string',
        short: 'k',
        value: KERNEL_VERSIONS.join('|'),
        help: 'replay on this release instead of the one each case was found on (a case without one: 6.1)',
      },
      json,
    },
  },
  {
    name: 'report',
    args: 'FILE',
    summary:
      'an archived counterexample as a bug report: Markdown (issue), text (mailing list, 72 columns) or JSON',
    flags: {
      format: { kind: 'string', short: 'f', value: 'md|text|json', help: 'the report format', default: 'md' },
      driver: namedDriver,
      invariant: caseInvariant,
      'kernel-patch': caseKernelPatch,
    },
  },
  {
    name: 'list',
    args: '[DIR]',
    summary: `the archive (default ${DEFAULT_ARCHIVE}/) as a table: fingerprint, driver, invariant, status, steps`,
    flags: { json },
  },
  {
    name: 'upgrade',
    args: 'FILE...',
    summary: 'rewrite schemaVersion 1 counterexamples in the current format, beside the old files',
    flags: { driver: namedDriver, invariant: caseInvariant, 'kernel-patch': caseKernelPatch },
  },
  { name: 'schema', summary: 'the JSON Schema of counterexample files', flags: {} },
  {
    name: 'new-driver',
    args: 'NAME',
    summary:
      'write NAME.ts: a commented driver on the public API (svmcheck/driver) that runs as it is, started from a built-in one',
    flags: {
      from: {
        kind: 'string',
        value: 'mirror|reference|gpusvm',
        help: 'the built-in driver to start from',
        default: 'mirror',
      },
    },
  },
  {
    name: 'drivers',
    summary: 'the built-in drivers: which are deliberately broken and what each is expected to break',
    flags: { json },
  },
  {
    name: 'selfcheck',
    summary:
      'run the bug catalog: every entry must be caught with its class, and the correct drivers must pass',
    flags: {
      json,
      'time-per-entry': {
        kind: 'int',
        value: 'S',
        help: 'seconds each catalog entry may take to be caught',
        min: 1,
        max: 3600,
        default: 60,
      },
      seeds: { kind: 'int', value: 'K', help: 'seeds per catalog entry', min: 1, max: 100, default: 1 },
      'reference-runs': {
        kind: 'int',
        value: 'N',
        help: 'runs each correct driver must pass',
        min: 1,
        max: 10_000_000,
        default: 2000,
      },
    },
  },
  {
    name: 'soak',
    summary:
      'every correct driver on every suite it runs, with several seeds, for a time budget: what a pass covered (runs, seeds, seconds; undecided and not-modelled runs), or each failure with the run command that replays it',
    flags: {
      kernel,
      driver: {
        kind: 'string',
        short: 'd',
        value: 'NAME[,NAME...]',
        help: 'only these correct built-in drivers (default: all of them)',
      },
      time: {
        kind: 'int',
        short: 't',
        value: 'SECONDS',
        help: 'wall-clock budget of the whole soak: each driver x suite x seed slot gets the time left over the slots left; with --runs and no --time, a week',
        min: 1,
        max: 604_800,
        default: 60,
      },
      runs: {
        kind: 'int',
        short: 'n',
        value: 'N',
        help: 'runs each driver x suite (x XNACK mode) must pass, split evenly over the seeds; the soak says which fell short of it within --time',
        min: 1,
        max: 1_000_000_000,
      },
      seeds: { kind: 'int', value: 'K', help: 'seeds per driver and suite', min: 1, max: 1000, default: 5 },
      seed: randomSeed,
      workers: {
        kind: 'int',
        short: 'w',
        value: 'N',
        help: 'worker threads running chunks (the verdicts are the same for any N)',
        min: 1,
        max: 64,
        default: 1,
      },
      json,
    },
  },
  {
    name: 'compare',
    summary:
      'GPU fault policies on one workload (seeds 000 and 002): faults, pages migrated each way, bytes copied, pages the GPU never touched, ping-pong, invalidations and lock waits, counted by the model with every invariant on; median and p90 per cost',
    flags: {
      workload: {
        kind: 'string',
        short: 'w',
        value: 'NAME',
        help: `the workload: ${WORKLOADS.map((w) => w.name).join(', ')}`,
      },
      policies: {
        kind: 'string',
        short: 'p',
        value: 'A,B,...',
        help: `the policies: ${COST_POLICIES.map((c) => c.name).join(', ')} (default: all but those on a driver with open findings, ${COST_POLICIES.filter(
          (c) => c.driver.openFindings?.length,
        )
          .map((c) => c.name)
          .join(' and ')})`,
      },
      runs: {
        kind: 'int',
        short: 'n',
        value: 'N',
        help: 'workloads per policy (run i from seed + i, the same for every policy)',
        min: 1,
        max: 1000,
        default: 5,
      },
      kernel,
      seed: randomSeed,
      svg: { kind: 'string', value: 'FILE', help: 'also write the comparison as an SVG chart to FILE' },
      json,
    },
  },
  {
    name: 'catalog',
    summary: 'the bug catalog (docs/catalog.md is generated from it)',
    flags: {
      md: { kind: 'bool', help: 'Markdown (the default)' },
      json: { kind: 'bool', short: 'j', help: 'JSON: the broken drivers and what each breaks' },
    },
  },
  {
    name: 'conformance',
    summary:
      "the model against a real kernel's lib/test_hmm.c under QEMU (Debian's linux-source of that release): exit 1 on any disagreement, 2 when the kernel or QEMU cannot be set up",
    flags: {
      kernel: {
        kind: 'string',
        short: 'k',
        value: CONFORMANCE_KERNELS.join('|'),
        help: 'the kernel built, booted and compared with the model configured for it',
        default: DEFAULT_CONFORMANCE_KERNEL,
      },
      programs: {
        kind: 'int',
        short: 'n',
        value: 'N',
        help: 'generated programs',
        min: 1,
        max: 1_000_000,
        default: 300,
      },
      seed: randomSeed,
      batch: { kind: 'int', value: 'N', help: 'programs per guest boot', min: 1, max: 100_000, default: 500 },
      'hang-checks': {
        kind: 'int',
        value: 'N',
        help: 'predicted hangs checked on the kernel (each costs the guest silence timeout)',
        min: 0,
        max: 1000,
        default: 1,
      },
      'no-shrink': { kind: 'bool', help: 'report disagreements without shrinking them' },
      file: {
        kind: 'string',
        value: 'FILE',
        help: 'run the programs in FILE (runner syntax) instead of generated ones',
      },
      record: {
        kind: 'string',
        value: 'DIR',
        help: 'write each program with its model and kernel observations to DIR as JSON',
      },
      recheck: {
        kind: 'string',
        value: 'DIR',
        help: 'compare the boots saved in DIR again, against the current model (no VM)',
      },
      json,
    },
  },
];

/** A command's entry; undefined for an unknown name. */
export function commandSpec(name: string): CommandSpec | undefined {
  return COMMAND_SPECS.find((c) => c.name === name);
}
