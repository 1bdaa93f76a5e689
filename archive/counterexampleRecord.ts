// A shrunk failure turned into the archive's record of it.
import { relative, sep } from 'node:path';
import type { Counterexample } from '../check/checkDriver.js';
import type { CounterexampleFile, ExtensionKind } from './counterexampleFile.js';
import type { DriverIdentity } from './driverIdentity.js';
import { fingerprint } from './fingerprint.js';
import type { CodeHash } from './moduleIdentity.js';
import { opResolutions } from './opResolutions.js';
import { toolVersion } from './toolVersion.js';

export interface RecordInput {
  failure: Counterexample;
  identity: DriverIdentity;
  suite: string;
  seed: number;
  status: CounterexampleFile['status'];
  title: string;
  /** Where the file will live: a driver module path is stored relative to it. */
  archiveDir: string;
  /** The modules given by path besides the driver (absolute paths), with their code's hash. */
  extensions?: ReadonlyArray<{ kind: ExtensionKind; path: string; code: CodeHash }>;
}

const relativeTo = (dir: string, path: string): string => relative(dir, path).split(sep).join('/');

export function counterexampleRecord(r: RecordInput): CounterexampleFile {
  const v = r.failure.violation;
  const mod = r.identity.module;
  return {
    schemaVersion: 2,
    title: r.title,
    status: r.status,
    fingerprint: fingerprint(v.invariant, r.failure.program),
    driver: {
      name: r.identity.name,
      module: mod === null ? null : relativeTo(r.archiveDir, mod),
      hash: r.identity.hash,
      hashOf: r.identity.hashOf,
      ...(r.identity.scheme === 'code' ? { hashScheme: 'code', fileHashes: r.identity.fileHashes } : {}),
    },
    ...(r.extensions?.length
      ? {
          extensions: r.extensions.map((x) => ({
            kind: x.kind,
            module: relativeTo(r.archiveDir, x.path),
            ...x.code,
          })),
        }
      : {}),
    violation: {
      invariant: v.invariant,
      class: v.cls,
      message: v.message,
      expected: v.expected,
      actual: v.actual,
      step: v.step,
    },
    found: { suite: r.suite, seed: r.seed, path: r.failure.path, toolVersion: toolVersion() },
    program: r.failure.program,
    resolutions: opResolutions(r.failure.program, r.failure.trace),
  };
}
