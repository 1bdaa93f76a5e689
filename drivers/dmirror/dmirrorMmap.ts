// dmirror_fops_mmap(): mmap of /dev/hmm_dmirrorN itself allocates a zeroed page per virtual page and
// vm_insert_page()s it. The pte carries the VMA's page protection, which for a private mapping is
// read-only (copy-on-write), so hmm_range_fault() reports such pages valid and not writable.
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { allocSysPage, putPage, setPte } from '../../model/mem.js';
import { block, call, defineProc, ret } from '../../model/proc.js';
import type { Prot } from '../../model/types.js';

interface L {
  pid: number;
  pages: number;
  prot: Prot;
  shared: boolean;
  at: number;
}

export const dmirrorMmap = defineProc<L>('dmirror_mmap', {
  start(_env, l) {
    return call('sys_mmap', { pid: l.pid, pages: l.pages, prot: l.prot, shared: false, at: l.at }, 'mapped');
  },
  mapped(env, l, r) {
    if (r !== '0') return ret(r);
    if (!tryLock(env, mmapLock(l.pid), 'w')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'w' });
    const s = env.s;
    for (let vpn = l.at; vpn < l.at + l.pages; vpn++) {
      const page = allocSysPage(s);
      if (page < 0) {
        unlock(env, mmapLock(l.pid));
        return ret('ENOMEM');
      }
      setPte(s, l.pid, vpn, { t: 'p', page, w: l.shared && l.prot === 'rw' });
      putPage(s, page);
    }
    unlock(env, mmapLock(l.pid));
    return ret('0');
  },
});
