import { match } from 'ts-pattern';
import type { Words } from '../../properties/invariant.js';
import type { NoRefToFreedBoFinding } from '../../properties/noRefToFreedBo.js';
import { pageRefName } from '../pageWords.js';

export function noRefToFreedBoWords(f: NoRefToFreedBoFinding): Words {
  return match(f)
    .with({ code: 'page' }, ({ data: d }) => ({
      expected: `${pageRefName(d.page)} belongs to a live BO`,
      actual: `its BO ${d.bo} is freed (its VRAM may already back another BO)`,
      message: `use-after-free: ${pageRefName(d.page)} is in use but its svm_range_bo ${d.bo} was freed`,
    }))
    .with({ code: 'node' }, ({ data: d }) => ({
      expected: `no range holds the node of freed BO ${d.bo}`,
      actual: `${d.nodeHolders} range(s) still do`,
      message: `use-after-free: a range's VRAM node points to freed BO ${d.bo}`,
    }))
    .exhaustive();
}
