import { match } from 'ts-pattern';
import type { MirrorConsistencyFinding } from '../../properties/mirrorConsistency.js';
import type { Words } from '../../properties/invariant.js';
import { pageRefName, va } from '../pageWords.js';

export function mirrorConsistencyWords(f: MirrorConsistencyFinding): Words {
  const { gpu: g, pid, vpn, page } = f.data;
  const where = `gpu${g} PTE for ${va(pid, vpn)}`;
  return match(f)
    .with({ code: 'prot-none' }, () => ({
      expected: `no ${where}: the VMA is PROT_NONE`,
      actual: `${where} -> ${pageRefName(page)}`,
      message: `${where} survives mprotect(PROT_NONE)`,
    }))
    .with({ code: 'stale' }, ({ data: { back } }) => ({
      expected: `${where} -> ${pageRefName(back)} (what the CPU page table maps)`,
      actual: `${where} -> ${pageRefName(page)}`,
      message: `${where} is stale: the GPU reaches ${pageRefName(page)} while the CPU maps ${pageRefName(back)}`,
    }))
    .with({ code: 'writable' }, () => ({
      expected: `${where} read-only (the CPU pte is not writable: COW, mprotect or zero page)`,
      actual: `${where} writable -> ${pageRefName(page)}`,
      message: `${where} grants write access the CPU page table does not`,
    }))
    .with({ code: 'no-link' }, () => ({
      expected: `${where} only to memory gpu${g} can reach`,
      actual: `${where} -> ${pageRefName(page)}, not in gpu${g}'s hive`,
      message: `${where} points into gpu${page.gpu}'s VRAM with no P2P/XGMI link`,
    }))
    .exhaustive();
}
