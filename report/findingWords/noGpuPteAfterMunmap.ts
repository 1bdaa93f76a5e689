import type { Words } from '../../properties/invariant.js';
import type { NoGpuPteAfterMunmapFinding } from '../../properties/noGpuPteAfterMunmap.js';
import { pageRefName, va } from '../pageWords.js';

export function noGpuPteAfterMunmapWords(f: NoGpuPteAfterMunmapFinding): Words {
  const { gpu: g, pid, vpn, page, writable } = f.data;
  return {
    expected: `no gpu${g} PTE for ${va(pid, vpn)} (${f.code === 'unmapped' ? 'not mapped by any VMA' : 'process exited'})`,
    actual: `gpu${g} PTE -> ${pageRefName(page)}${writable ? ' writable' : ''}`,
    message: `gpu${g} still translates ${va(pid, vpn)} after the MMU_NOTIFY_UNMAP invalidation returned`,
  };
}
