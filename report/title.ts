/** A syzbot-style one-line title: class, invariant, driver and the kind of operation that broke it. */
export function caseTitle(cls: string, invariant: string, driver: string, opKind: string | null): string {
  return `${cls}: ${invariant} in ${driver}${opKind ? ` during ${opKind}` : ''}`;
}
