import { match } from 'ts-pattern';
import type { GpuPteHonoursAttributesFinding } from '../../properties/gpuPteHonoursAttributes.js';
import type { Words } from '../../properties/invariant.js';
import { pageRefName, va } from '../pageWords.js';

export function gpuPteHonoursAttributesWords(f: GpuPteHonoursAttributesFinding): Words {
  const { gpu: g, pid, vpn, page, writable } = f.data;
  const where = `gpu${g} PTE for ${va(pid, vpn)}`;
  return match(f.code)
    .with('no-access', () => ({
      expected: `no ${where}: set_attr took gpu${g}'s access away (NO_ACCESS)`,
      actual: `${where} -> ${pageRefName(page)}${writable ? ' writable' : ''}`,
      message: `gpu${g} still maps ${va(pid, vpn)} after set_attr gave it no access`,
    }))
    .with('read-only', () => ({
      expected: `${where} read-only: the range is KFD_IOCTL_SVM_FLAG_GPU_RO`,
      actual: `${where} writable -> ${pageRefName(page)}`,
      message: `${where} is writable on a GPU read-only range`,
    }))
    .exhaustive();
}
