import type { Words } from '../../properties/invariant.js';
import type { NoDataLossFinding } from '../../properties/noDataLoss.js';
import { pageRefName, va } from '../pageWords.js';

export function noDataLossWords(f: NoDataLossFinding): Words {
  const d = f.data;
  return {
    expected: `${va(d.pid, d.vpn)} holds ${d.want} (last write)`,
    actual: `${pageRefName(d.page)} backs it and holds ${d.have}`,
    message: `data lost at ${va(d.pid, d.vpn)}: the backing page does not hold the last value written`,
  };
}
