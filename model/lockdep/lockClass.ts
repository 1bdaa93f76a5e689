// Lock classes, as lockdep sees them (Documentation/locking/lockdep-design.rst: "the validator
// tracks the 'usage state' of lock-classes ... a class of locks is a group of locks that are
// logically the same with respect to locking rules"). Lock names in the model are
// `<class>:<instance>` (`mmap_lock:0`, `dma_resv:bo3`); pseudo-locks have no instance.

const classes = new Map<string, string>();

/** The lock class of a lock or pseudo-lock name: everything before the first ':'. */
export function lockClass(name: string): string {
  // Memoized: every lock acquisition asks for the class of each lock held, in every step.
  let c = classes.get(name);
  if (c === undefined) {
    const i = name.indexOf(':');
    c = i < 0 ? name : name.slice(0, i);
    classes.set(name, c);
  }
  return c;
}

/** Classes lockdep does not track: the page lock is a bit in page->flags, not a lockdep map. */
export const UNTRACKED_CLASSES: ReadonlySet<string> = new Set(['page_lock']);
