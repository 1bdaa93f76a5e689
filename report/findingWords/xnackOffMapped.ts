import type { Words } from '../../properties/invariant.js';
import type { XnackOffMappedFinding } from '../../properties/xnackOffMapped.js';
import { va } from '../pageWords.js';

export function xnackOffMappedWords(f: XnackOffMappedFinding): Words {
  const { gpu: g, pid, vpn } = f.data;
  const when = f.code === 'set-attr' ? 'set_attr returned 0' : 'restore_work resumed the queues';
  return {
    expected: `gpu${g} PTE for ${va(pid, vpn)} when ${when} (XNACK off: gpu${g} has access and its queues run)`,
    actual: `no PTE: an access by gpu${g} there is a fatal GPU fault`,
    message: `XNACK off: ${when}, but gpu${g} has no mapping for ${va(pid, vpn)}, which it may access`,
  };
}
