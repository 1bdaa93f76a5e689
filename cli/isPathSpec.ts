// Whether a --driver / --suite / --scope value names a module by path rather than a built-in.
export const isPathSpec = (spec: string): boolean =>
  spec.includes('/') || spec.includes('\\') || /\.[mc]?[jt]s$/.test(spec);
