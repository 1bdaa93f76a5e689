import type { Words } from '../../properties/invariant.js';
import type { XnackOffRestoreFreshFinding } from '../../properties/xnackOffRestoreFresh.js';
import { pageRefName, va } from '../pageWords.js';

export function xnackOffRestoreFreshWords(f: XnackOffRestoreFreshFinding): Words {
  const d = f.data;
  return {
    expected: `gpu${d.gpu} PTE for ${va(d.pid, d.vpn)} -> ${pageRefName(d.back)}${d.tooWritable ? ' read-only' : ''} when the queues resume`,
    actual: `gpu${d.gpu} PTE -> ${pageRefName(d.page)}${d.writable ? ' writable' : ''}`,
    message: `restore_work resumed pid ${d.pid}'s queues with a stale gpu${d.gpu} mapping of ${va(d.pid, d.vpn)}`,
  };
}
