import { match } from 'ts-pattern';
import type { Words } from '../../properties/invariant.js';
import type { NoPteToFreedPageFinding } from '../../properties/noPteToFreedPage.js';
import { pageRefName, va } from '../pageWords.js';

export function noPteToFreedPageWords(f: NoPteToFreedPageFinding): Words {
  return match(f)
    .with({ code: 'cpu' }, ({ data: d }) => ({
      expected: `CPU pte of ${va(d.pid, d.vpn)} references a live page`,
      actual: `it references ${pageRefName(d.page)}`,
      message: `use-after-free: the CPU page table of ${va(d.pid, d.vpn)} references a freed page`,
    }))
    .with({ code: 'gpu' }, ({ data: d }) => ({
      expected: `gpu${d.gpu} PTE of ${va(d.pid, d.vpn)} references a live page`,
      actual: `it references ${pageRefName(d.page)}`,
      message: `use-after-free: gpu${d.gpu} can still reach ${pageRefName(d.page)} through ${va(d.pid, d.vpn)}`,
    }))
    .exhaustive();
}
