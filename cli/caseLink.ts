// How a report's Link: tag names an archived case: its path within the project that holds it
// (as the repository shows it), or the path as given when it lies in no project.
import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { isInside } from './isInside.js';
import { projectRoot } from './projectRoot.js';

export function caseLink(file: string): string {
  const root = projectRoot(file);
  let real: string;
  try {
    // The file itself may not be written yet (run explains a case before archiving it).
    real = join(realpathSync(dirname(file)), basename(file));
  } catch {
    return file;
  }
  return root && isInside(real, root) ? relative(root, real).split(sep).join('/') : file;
}
