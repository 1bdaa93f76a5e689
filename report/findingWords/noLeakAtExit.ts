import { match } from 'ts-pattern';
import type { Words } from '../../properties/invariant.js';
import type { NoLeakAtExitFinding } from '../../properties/noLeakAtExit.js';
import { pageRefName } from '../pageWords.js';

export function noLeakAtExitWords(f: NoLeakAtExitFinding): Words {
  return match(f)
    .with({ code: 'bo' }, ({ data: d }) => ({
      expected: `BO ${d.bo} freed after exit`,
      actual: `${d.state}, refcount ${d.ref}`,
      message: `leak: VRAM BO ${d.bo} outlives every process`,
    }))
    .with({ code: 'page' }, ({ data: d }) => ({
      expected: `${pageRefName(d.page)} free after exit`,
      actual: `refcount ${d.ref}`,
      message: `leak: ${pageRefName(d.page)} outlives every process`,
    }))
    .exhaustive();
}
