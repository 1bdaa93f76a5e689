// Validation of a counterexample's JSON beyond its shape: the version gate, the fingerprint (the
// program was not edited by hand), one resolution per operation, and an invariant svmcheck knows
// (or, for a case found with --invariant modules, which it records, any: a module defines it).
import { INVARIANTS, RUN_FAILURES } from '../properties/catalog.js';
import { ArchiveError } from './archiveError.js';
import { CounterexampleFileSchema, type CounterexampleFile } from './counterexampleFile.js';
import { fingerprint } from './fingerprint.js';

const VERSION = 3;

const KNOWN = (): string[] => [...INVARIANTS.map((i) => i.id), ...Object.keys(RUN_FAILURES)];

/** Parses an already-decoded JSON value; every problem is an ArchiveError naming `where` and the field. */
export function parseCounterexample(where: string, json: unknown): CounterexampleFile {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new ArchiveError(`${where}: expected a JSON object at the top level`);
  const version = (json as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version === 'number' && version > VERSION)
    throw new ArchiveError(
      `${where}: schemaVersion ${version} is newer than this svmcheck understands (${VERSION}); upgrade svmcheck`,
    );
  if (typeof version === 'number' && version < VERSION)
    throw new ArchiveError(
      `${where}: schemaVersion ${version} is an older format this svmcheck no longer reads (it reads ${VERSION}); convert it with svmcheck upgrade`,
    );
  const r = CounterexampleFileSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    const field = i && i.path.length ? i.path.map(String).join('.') : '(top level)';
    throw new ArchiveError(`${where}: field ${field}: ${i?.message ?? 'invalid'}`);
  }
  const cx = r.data;
  const ownInvariants = cx.extensions?.some((x) => x.kind === 'invariant') ?? false;
  if (!ownInvariants && !KNOWN().includes(cx.violation.invariant))
    throw new ArchiveError(
      `${where}: field violation.invariant: unknown invariant '${cx.violation.invariant}' (known: ${KNOWN().join(', ')})`,
    );
  if (cx.resolutions.length !== cx.program.ops.length)
    throw new ArchiveError(
      `${where}: field resolutions: ${cx.resolutions.length} entries for ${cx.program.ops.length} operations`,
    );
  const fh = cx.driver.fileHashes;
  if (fh && fh.length !== cx.driver.hashOf.length)
    throw new ArchiveError(
      `${where}: field driver.fileHashes: ${fh.length} entries for ${cx.driver.hashOf.length} files in driver.hashOf`,
    );
  const fp = fingerprint(cx.violation.invariant, cx.program);
  if (cx.fingerprint !== fp)
    throw new ArchiveError(
      `${where}: field fingerprint: does not match violation.invariant and program (edited by hand? expected ${fp})`,
    );
  return cx;
}
