import { match } from 'ts-pattern';
import type { DeviceTeardownFinding } from '../../properties/deviceTeardown.js';
import type { Words } from '../../properties/invariant.js';
import { pageRefName, va } from '../pageWords.js';

export function deviceTeardownWords(f: DeviceTeardownFinding): Words {
  const g = f.data.gpu;
  return match(f)
    .with({ code: 'pages-allocated' }, ({ data: { used } }) => ({
      expected: `every VRAM page of gpu${g} free after its unbind`,
      actual: `${used.map(pageRefName).join(', ')} still allocated`,
      message: `gpu${g} was unbound but ${used[0] ? pageRefName(used[0]) : 'no page'} is still in use`,
    }))
    .with({ code: 'cpu-pte' }, ({ data: d }) => ({
      expected: `no CPU page table entry for a page of unbound gpu${g}`,
      actual: `${va(d.pid, d.vpn)} -> ${pageRefName(d.page)}`,
      message: `${va(d.pid, d.vpn)} still maps device memory of gpu${g} after its unbind: the page was not migrated back`,
    }))
    .with({ code: 'gpu-pte' }, ({ data: d }) => ({
      expected: `unbound gpu${g} translates nothing`,
      actual: `gpu${g} PTE for ${va(d.pid, d.vpn)}`,
      message: `unbound gpu${g} still has a PTE for ${va(d.pid, d.vpn)}`,
    }))
    .exhaustive();
}
