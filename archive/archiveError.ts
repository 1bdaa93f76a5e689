/** A counterexample file or archive that cannot be used; the message names the file and field. */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
}
