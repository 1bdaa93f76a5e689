// Whether a module an archived case names may be imported without the user naming it. An archive
// file is data: its modules are loaded only when the command allows modules of the archive's own
// project and the module (symlinks and `..` resolved) lies inside that project.
import { existsSync, realpathSync } from 'node:fs';
import { isInside } from './isInside.js';
import { projectRoot } from './projectRoot.js';

/** Why the module at `path`, named by the archive `file`, must not be imported, or null when it may be. */
export function moduleRefusal(
  file: string,
  path: string,
  projectModules: boolean,
  nameIt: string,
): string | null {
  if (!projectModules) return `this command never loads a module an archive names; ${nameIt}`;
  if (!existsSync(path)) return 'it does not exist';
  const root = projectRoot(file);
  if (root === null)
    return `the archive file lies in no project (no package.json or .git above it); ${nameIt}`;
  if (!isInside(realpathSync(path), root))
    return `it lies outside the project ${root} that holds the archive; ${nameIt}`;
  return null;
}
