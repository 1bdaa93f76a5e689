import type { KrefAccountingFinding } from '../../properties/krefAccounting.js';
import type { Words } from '../../properties/invariant.js';

export function krefAccountingWords(f: KrefAccountingFinding): Words {
  const { object, kref, holders } = f.data;
  const held = holders.length === 0 ? 'no holder' : holders.join(', ');
  return {
    expected: `${object}: kref ${holders.length}, one reference per holder (${held})`,
    actual: f.code === 'destroyed-while-held' ? `kref ${kref}, being destroyed` : `kref ${kref}`,
    message:
      f.code === 'leaked'
        ? `${object} keeps ${kref - holders.length} reference(s) no holder will put: it is never released (leak)`
        : f.code === 'overput'
          ? `${object} counts ${kref} reference(s) for ${holders.length} holder(s): it is released while ${held} still use it`
          : `${object} is being destroyed while ${held} still hold references to it`,
  };
}
