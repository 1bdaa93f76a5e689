import { existsSync, statSync } from 'node:fs';
import { UsageError } from './usageError.js';

export const DEFAULT_ARCHIVE = 'counterexamples';

/** --archive DIR or none (null); refused when it names something that is not a directory. */
export function archiveFlag(command: string, value: unknown): string | null {
  const dir = value === undefined ? DEFAULT_ARCHIVE : String(value);
  if (dir === 'none') return null;
  if (dir === '') throw new UsageError(`svmcheck ${command}: --archive needs a directory or 'none'`);
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new UsageError(`svmcheck ${command}: --archive ${dir} is not a directory`);
  return dir;
}
