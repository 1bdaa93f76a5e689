// Names of per-instance objects (`mmap_lock:0`, `svm_range_lock:3`), built once per instance: the
// model asks for them in every step, and a string built anew must be hashed anew at every lookup.

/** The name function of a class of instances: i => `${cls}${sep}${i}`, the same string each time. */
export function instanceName(cls: string, sep = ':'): (i: number) => string {
  const names: string[] = [];
  return (i) => {
    if (i >= 0 && i < 4096 && Number.isInteger(i)) return (names[i] ??= `${cls}${sep}${i}`);
    return `${cls}${sep}${i}`;
  };
}
