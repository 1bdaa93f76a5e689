// What an HMM_DMIRROR_* ioctl hands back (struct hmm_dmirror_cmd plus the user buffer), and the
// bounce-buffer helpers shared by the ioctls: dmirror_do_read() / dmirror_do_write() over the
// mirror's XArray. Reading through an entry that holds a device-private struct page oopses in the
// real driver (kmap of a ZONE_DEVICE page without a kernel mapping), so the model stops there too.
import { isDevicePrivate, writeValue } from '../../model/mem.js';
import { KernelOops } from '../../model/kernelOops.js';
import type { State } from '../../model/types.js';
import type { DmEntry, DmMirror } from './dmirrorState.js';

export interface DmResult {
  err: string;
  cpages: number;
  faults: number;
  /** First u32 of each page of the buffer (READ, MIGRATE_TO_DEV, EXCLUSIVE). */
  data?: number[];
  /** One HMM_DMIRROR_PROT_* byte per page (SNAPSHOT). */
  snap?: number[];
}

/** The page the driver kmaps for an entry, after the checks the kernel does not do but would pay for. */
function kmapPage(s: State, m: DmMirror, vpn: number, e: DmEntry, op: string): number {
  if (e.direct && isDevicePrivate(s, e.page))
    throw new KernelOops('oops', {
      code: 'dmirror-kmap-device-private',
      at: { gpu: m.dev, vpn, page: e.page },
      data: { op, mirror: m.id, dev: m.dev, vpn },
    });
  const pg = s.phys[e.page];
  if (!pg || (pg.free && e.page !== 0))
    throw new Error(`dmirror model: mirror ${m.id} entry for page ${vpn} references freed page ${e.page}`);
  return e.page;
}

/** dmirror_do_read() from vpn `from`: appends page data; 'ENOENT' at the first missing entry. */
export function doRead(s: State, m: DmMirror, from: number, end: number, data: number[]): string {
  for (let vpn = from; vpn < end; vpn++) {
    const e = m.pt[vpn];
    if (!e) return 'ENOENT';
    data.push(s.phys[kmapPage(s, m, vpn, e, 'dmirror_do_read')]?.data ?? 0);
  }
  return '0';
}

/** dmirror_do_write() from vpn `from`: needs WRITE-tagged entries; returns pages written or -1 at a miss. */
export function doWrite(
  s: State,
  m: DmMirror,
  from: number,
  end: number,
  value: (vpn: number) => number,
): number {
  let n = 0;
  for (let vpn = from; vpn < end; vpn++) {
    const e = m.pt[vpn];
    if (!e || e.tag !== 'w') return -1 - n;
    writeValue(s, m.pid, vpn, kmapPage(s, m, vpn, e, 'dmirror_do_write'), value(vpn));
    n++;
  }
  return n;
}
