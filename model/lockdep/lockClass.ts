// Lock classes, as lockdep sees them (Documentation/locking/lockdep-design.rst: "the validator
// tracks the 'usage state' of lock-classes ... a class of locks is a group of locks that are
// logically the same with respect to locking rules"). Lock names in the model are
// `<class>:<instance>` (`mmap_lock:0`, `dma_resv:bo3`); pseudo-locks have no instance.

/** The lock class of a lock or pseudo-lock name: everything before the first ':'. */
export function lockClass(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(0, i);
}

/** Classes lockdep does not track: the page lock is a bit in page->flags, not a lockdep map. */
export const UNTRACKED_CLASSES: ReadonlySet<string> = new Set(['page_lock']);
