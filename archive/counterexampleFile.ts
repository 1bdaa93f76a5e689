// The on-disk form of a counterexample (schemaVersion 3: the violation carries its finding as data
// beside its words; archive/counterexampleFileV2.ts is the format before). Replay never depends on fast-check's
// seed or path, which go stale when generators change: the file holds the concrete minimized
// program, and how each of its operations resolved, so a replay can tell when one no longer applies.
import { z } from 'zod';
import { ProgramSchema } from '../model/program.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex (64 digits)');

/** The kinds of module a case can be found with besides its driver, each as its flag names it. */
export const EXTENSION_KINDS = ['invariant', 'kernel-patch', 'suite', 'scope'] as const;
export type ExtensionKind = (typeof EXTENSION_KINDS)[number];

const ExtensionSchema = z
  .object({
    kind: z
      .enum(EXTENSION_KINDS)
      .describe(
        'The flag it was given with (--invariant, --kernel-patch, --suite, --scope); invariant and kernel-patch modules take part in the replay, suite and scope modules only generated the program',
      ),
    module: z.string().min(1).describe('Its path, relative to this file'),
    hash: sha256.describe('sha256 over the code of the module and the files it imports from its directory'),
    hashOf: z
      .array(z.string().min(1))
      .min(1)
      .describe('The source files hashed, sorted, relative to its directory'),
    fileHashes: z
      .array(z.string().regex(/^[0-9a-f]{16}$/))
      .describe('Per file of hashOf, the first 16 hex digits of the sha256 of its code'),
  })
  .strict();

export type ExtensionRecord = z.infer<typeof ExtensionSchema>;

const count = z.number().int();

/** Where a finding is (model/finding.ts At). */
const AtSchema = z
  .object({
    pid: count.optional(),
    vpn: count.optional(),
    gpu: count.optional(),
    page: count.optional(),
    bo: count.optional(),
    fence: count.optional(),
    job: count.optional(),
    act: count.optional(),
  })
  .strict();

const FindingSchema = z
  .object({
    kind: z
      .enum(['invariant', 'kernel-bug', 'kernel-oops'])
      .describe(
        "Whose code it is: the invariant's own, or a predicted kernel failure's (model/kernelFailure.ts)",
      ),
    who: z.string().min(1).optional().describe('A kernel failure: the agent whose step hit it'),
    hang: z.boolean().optional().describe('A kernel oops: a hung task rather than a BUG'),
    code: z
      .string()
      .min(1)
      .describe(
        "The kind of breakage, one of the invariant's codes (or the kernel failure's: model/kernelFailure.ts)",
      ),
    at: AtSchema.describe('Where: process, virtual page, GPU, physical page, BO, fence, job or activity'),
    data: z
      .record(z.string(), z.unknown())
      .describe('The values the words are rendered from (numbers, ids, states)'),
  })
  .strict();

export type FindingRecord = z.infer<typeof FindingSchema>;

/** The violation of a schemaVersion 2 file: its words only. */
export const ViolationV2Schema = z
  .object({
    invariant: z.string().min(1),
    class: z.string().min(1),
    message: z.string(),
    expected: z.string(),
    actual: z.string(),
    step: z.number().int().min(0).describe('Scheduler step (0-based) after which the invariant failed'),
  })
  .strict();

const ViolationSchema = ViolationV2Schema.extend({
  finding: FindingSchema.optional().describe(
    "The problem as data, which message, expected and actual put in words; absent for a run failure (deadlock, livelock, lockup, lockdep) and for a user invariant module's own words",
  ),
}).strict();

export const CounterexampleFileSchema = z
  .object({
    schemaVersion: z.literal(3).describe('Format version; svmcheck refuses files newer than it reads'),
    title: z.string().min(1).describe('One line: invariant, driver and the operation that broke it'),
    status: z
      .enum(['open', 'fixed', 'expected'])
      .describe(
        'open: a real bug, must keep failing until fixed; fixed: must pass; expected: a deliberately broken driver that must keep failing',
      ),
    fingerprint: sha256.describe('sha256 over the invariant id, a newline and the canonical JSON of program'),
    driver: z
      .object({
        name: z.string().min(1),
        module: z
          .string()
          .min(1)
          .nullable()
          .describe('For a driver loaded by path: that path, relative to this file; null for a built-in'),
        hash: sha256.describe("sha256 over the driver's source files (see hashOf and hashScheme)"),
        hashOf: z.array(z.string().min(1)).min(1).describe('The source files hashed, sorted'),
        hashScheme: z
          .literal('code')
          .optional()
          .describe(
            "code: each file's code without comments, blank space and trailing commas; absent: every byte of each file (files archived before the scheme was recorded)",
          ),
        fileHashes: z
          .array(z.string().regex(/^[0-9a-f]{16}$/))
          .optional()
          .describe('Per file of hashOf, the first 16 hex digits of the sha256 of what was hashed of it'),
      })
      .strict(),
    extensions: z
      .array(ExtensionSchema)
      .optional()
      .describe(
        'The modules given by path besides the driver when the case was found; a replay loads the invariant and kernel-patch ones and refuses to run when their code changed',
      ),
    violation: ViolationSchema,
    found: z
      .object({
        suite: z.string().min(1),
        seed: z.number().int(),
        path: z.string().describe('fast-check path within the run (chunk:run:shrinks), informative only'),
        toolVersion: z.string().min(1),
      })
      .strict(),
    program: ProgramSchema,
    resolutions: z
      .array(z.enum(['applied', 'skipped', 'not-reached']))
      .describe('Per operation of program, how it resolved when archived: replay compares'),
    notes: z.string().optional().describe('Free text for people: links, analysis'),
  })
  .strict();

export type CounterexampleFile = z.infer<typeof CounterexampleFileSchema>;

export type Resolution = CounterexampleFile['resolutions'][number];
