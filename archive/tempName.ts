/**
 * The name of a temporary file in the archive (archiveCase's link(2)-atomic writes, replaceCase):
 * hidden, and naming the process and thread that write it, which cleanStaleTemps relies on.
 */
export function tempName(name: string, pid: number, thread: number, nonce: string): string {
  return `.${name}.${pid}.${thread}.${nonce}.tmp`;
}
