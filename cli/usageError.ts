/** A mistake in how svmcheck was called or what it was given: reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
