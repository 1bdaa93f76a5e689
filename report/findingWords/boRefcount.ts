import type { BoRefcountFinding } from '../../properties/boRefcount.js';
import type { Words } from '../../properties/invariant.js';

export function boRefcountWords(f: BoRefcountFinding): Words {
  const { bo, ref, state, pages, nodeHolders } = f.data;
  const want = pages + nodeHolders;
  return {
    expected: `BO ${bo}: ${want} reference${want === 1 ? '' : 's'} (${pages} device page(s), ${nodeHolders} range node(s))${want === 0 ? ', being freed' : ''}`,
    actual: `refcount ${ref}, ${state}`,
    message:
      f.code === 'freed-while-used'
        ? `BO ${bo} is being freed while ${pages} page(s) and ${nodeHolders} range(s) still use it`
        : `svm_range_bo refcount of BO ${bo} is ${ref}, ${want} users hold it`,
  };
}
