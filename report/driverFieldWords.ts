// What the built-in drivers' own bookkeeping fields mean, for the state section's generic diff of
// the driver state: the path stays as the code names it, followed by this meaning. Taken from the
// fields' doc comments (drivers/svm/svmState.ts, svmBo.ts, gpusvm/gpusvmState.ts, mirror); a field
// not listed is shown by its name alone.
const MEANING: Record<string, string> = {
  ranges: 'svm_range',
  pm: 'GPUs holding a PTE the driver programmed, per page, a bit per GPU',
  nid: 'its interval notifier',
  op: 'deferred work queued for it',
  deferred: 'on the deferred list',
  parent: 'parent range while on its child list',
  inTree: 'in the interval tree',
  actual: 'where the driver believes the range lives',
  node: 'VRAM node the range holds a BO reference on',
  next: 'next range id',
  worker: 'deferred-list worker scheduled',
  intents: 'own migration in flight (the notifier skips what it will move)',
  bos: 'VRAM buffer object',
  nextBo: 'next BO id',
  ref: 'reference count',
  state: 'life cycle',
  evicting: 'being evicted',
  vram: 'holds its VRAM reservation',
  slots: 'VRAM pages',
  nids: 'interval notifier per mirrored range',
  pagesValid: 'pages valid (hmm_range_fault result still current)',
  bound: 'GPUs the range is bound to, a bit per GPU',
  a: 'SVM attributes',
};

/** The meaning of the last named field of a path like `driver.ranges[0].pm[1]`, or null. */
export function driverFieldWords(path: string): string | null {
  const names = path.split('.').map((seg) => seg.replace(/\[.*$/, '').replace(/:.*$/, ''));
  for (let i = names.length - 1; i > 0; i--) {
    const m = MEANING[names[i] as string];
    if (m) return m;
  }
  return null;
}
