import { match } from 'ts-pattern';
import type { Words } from '../../properties/invariant.js';
import type { VramAccountingFinding } from '../../properties/vramAccounting.js';

export function vramAccountingWords(f: VramAccountingFinding): Words {
  return match(f)
    .with({ code: 'outside' }, ({ data: d }) => ({
      expected: `BO ${d.bo} inside gpu${d.gpu}'s VRAM`,
      actual: `it reserves page ${d.page}`,
      message: `BO ${d.bo} reserves memory outside gpu${d.gpu}'s VRAM`,
    }))
    .with({ code: 'shared' }, ({ data: d }) => ({
      expected: `VRAM page ${d.idx} of gpu${d.gpu} in one BO`,
      actual: `in BO ${d.other} and BO ${d.bo}`,
      message: `two BOs reserve the same VRAM of gpu${d.gpu}`,
    }))
    .with({ code: 'over-committed' }, ({ data: d }) => ({
      expected: `at most ${d.cap} VRAM pages reserved on gpu${d.gpu}`,
      actual: `${d.used}`,
      message: `gpu${d.gpu} VRAM over-committed`,
    }))
    .with({ code: 'stray' }, ({ data: d }) => ({
      expected: `device page ${d.idx} of gpu${d.gpu} inside its BO ${d.bo}`,
      actual: d.owner >= 0 ? `reserved by BO ${d.owner}` : 'reserved by no live BO',
      message: `gpu${d.gpu} VRAM page ${d.idx} is in use outside the BO it was allocated from`,
    }))
    .exhaustive();
}
