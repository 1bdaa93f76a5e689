// A counterexample explained as data (Elle's "explain, then render"): everything a report shows,
// in words, computed once; markdown.ts, mailText.ts and explanationJson.ts only lay it out.
import type { Resolution } from '../archive/counterexampleFile.js';
import type { IdentityChange } from '../archive/identityChange.js';
import type { Witness } from '../model/witness.js';
import type { KernelConfig } from './kernelConfig.js';

export interface Change {
  before: string;
  after: string;
}

/** The state of the virtual pages the failing step touched, before and after it. */
export interface StateAround {
  /** Column headings: VMA, CPU pte, one per GPU's page table, the backing page. */
  columns: string[];
  rows: Array<{ va: string; cells: Change[] }>;
  /** The driver's ranges and buffer objects around those pages, when it exposes them. */
  driver: Array<{ what: string } & Change>;
  /** Anything else that changed in the failing step (notifiers, locks, migrations, driver data, ...). */
  other: Array<{ path: string } & Change>;
}

export type DiagramItem =
  | { k: 'msg'; from: string; to: string; text: string; reply: boolean }
  | { k: 'note'; over: string; text: string }
  | { k: 'broken'; items: DiagramItem[]; over: string; text: string };

/** The activities of the run and what they did to each other, in scheduler order. */
export interface SequenceDiagram {
  participants: Array<{ id: string; label: string }>;
  items: DiagramItem[];
}

export interface Explanation {
  title: string;
  status: 'open' | 'fixed' | 'expected';
  fingerprint: string;
  driver: {
    name: string;
    module: string | null;
    hash: string;
    hashOf: string[];
    /** What the hash covers, in words. */
    covers: string;
    /** The driver svmcheck has today against the archived identity, as data and in words. */
    today: IdentityChange;
    todayText: string;
  };
  kernel: KernelConfig;
  found: { suite: string; seed: number; toolVersion: string };
  /** The modules given by path besides the driver that the case was found with (archive: extensions). */
  extensions: Array<{ kind: string; module: string; hash: string }>;
  invariant: { id: string; cls: string; meaning: string };
  /** As archived. */
  message: string;
  expected: string;
  actual: string;
  config: string;
  steps: Array<{ n: number; agent: string; operation: string; resolution: Resolution }>;
  /** What replaying the case does today. */
  now: { verdict: 'violates' | 'violates-other' | 'passes'; invariant: string | null; problems: string[] };
  /** The scheduler step after which the invariant failed (1-based), and its operation. */
  trigger: { step: number; op: number; agent: string; operation: string; kind: string } | null;
  interleaving: Array<{
    n: number;
    agent: string;
    op: number;
    operation: string;
    outcome: string;
    observed: string[];
    broken: boolean;
    /** A livelock's loop starts at this step: from here to the broken step, the steps repeat forever. */
    loopStart: boolean;
  }>;
  around: StateAround;
  /** The evidence today's replay gives (lockdep's chain and unsafe-locking scenario, a wait-for cycle, ...), as data and as lines. */
  witness: { data: Witness; lines: string[] } | null;
  replay: string;
  /** Tags for the commit that fixes it. */
  footer: { reportedBy: string; link: string };
  diagram: SequenceDiagram;
}
