// A shrunk failure turned into the archive's record of it: the problem as data (its finding) and,
// for the people who read the file, its words, rendered by the caller (report/problemWords.ts:
// the archive does not word problems itself).
import { relative, sep } from 'node:path';
import type { Counterexample } from '../check/checkDriver.js';
import type { CounterexampleFile, ExtensionKind } from './counterexampleFile.js';
import type { DriverIdentity } from './driverIdentity.js';
import { fingerprint } from './fingerprint.js';
import type { CodeHash } from './moduleIdentity.js';
import type { Words } from '../properties/invariant.js';
import { findingRecord } from './findingRecord.js';
import { opResolutions } from './opResolutions.js';
import { toolVersion } from './toolVersion.js';

export interface RecordInput {
  failure: Counterexample;
  /** The failure's expected/actual/message (report/problemWords.ts of failure.violation). */
  words: Words;
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
    schemaVersion: 3,
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
    violation: recordedViolation(v, r.words),
    found: { suite: r.suite, seed: r.seed, path: r.failure.path, toolVersion: toolVersion() },
    program: r.failure.program,
    resolutions: opResolutions(r.failure.program, r.failure.trace),
  };
}

/** The archive's violation record of a problem: its words, and its finding when it has one. */
export function recordedViolation(v: Counterexample['violation'], w: Words): CounterexampleFile['violation'] {
  const finding = findingRecord(v);
  return {
    invariant: v.invariant,
    class: v.cls,
    message: w.message,
    expected: w.expected,
    actual: w.actual,
    step: v.step,
    ...(finding ? { finding } : {}),
  };
}
