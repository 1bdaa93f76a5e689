// A problem found, as data (zod's issue: a code and the values behind it): what kind of breakage
// (`code`, a closed union per invariant or per kernel failure), where in the machine (`at`), and
// the raw values the report needs to say it (`data`: numbers, ids, states). Nothing here is worded:
// report/findingWords/ and report/kernelFailureWords.ts turn a finding into expected/actual/message.

/** Where a finding is, in the machine's own coordinates (each only when the finding has one). */
export interface At {
  pid?: number;
  /** Virtual page number in `pid`'s address space. */
  vpn?: number;
  gpu?: number;
  /** Physical page index (State.phys). */
  page?: number;
  bo?: number;
  fence?: number;
  job?: number;
  /** An activity's id (State.acts). */
  act?: number;
}

/** A finding of one code, with the data its words need. */
export interface FindingOf<C extends string, D> {
  code: C;
  at: At;
  data: D;
}

/** What a problem says in words (rendered by report/, or given by a user's own module). */
export interface Words {
  expected: string;
  actual: string;
  /** One line, in kernel terms. */
  message: string;
}
