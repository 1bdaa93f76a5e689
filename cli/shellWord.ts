/** A path or argument as one shell word, quoted only when it has to be, for printed replay commands. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
