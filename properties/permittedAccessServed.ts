import type { FindingOf, Invariant } from './invariant.js';
import { accessRefusal } from './accessPermitted.js';

/** sigbus: a CPU fault killed with SIGBUS; gpu-fatal: a GPU fault that failed with `err`. */
export type PermittedAccessServedFinding =
  | FindingOf<'sigbus', { pid: number; vpn: number }>
  | FindingOf<
      'gpu-fatal',
      { gpu: number; pid: number; vpn: number; write: boolean; atomic?: true; err: string }
    >;

export const permittedAccessServed: Invariant = {
  id: 'permitted-access-served',
  cls: 'access',
  meaning:
    'A CPU or GPU access to an address that is mapped and permitted (VMA protection, SVM access and GPU_RO attributes) never ends in SIGBUS, a fatal GPU fault or -EFAULT.',
  transition: true,
  events: ['syscall', 'gpu-error'],
  check(s, events) {
    for (const e of events) {
      if (e.e === 'syscall') {
        // handle_mm_fault has checked the VMA under mmap_lock, which it holds until the SIGBUS.
        if (e.op !== 'page fault' || e.err !== 'SIGBUS') continue;
        const vpn = Number(/^vpn (\d+)$/.exec(e.detail)?.[1] ?? -1);
        if (accessRefusal(s, e.pid, vpn, false, -1) !== null) continue;
        return {
          code: 'sigbus',
          at: { pid: e.pid, vpn },
          data: { pid: e.pid, vpn },
        } satisfies PermittedAccessServedFinding;
      }
      if (e.e !== 'gpu-error') continue;
      if (accessRefusal(s, e.pid, e.vpn, e.write, e.gpu, e.atomic === true) !== null) continue;
      return {
        code: 'gpu-fatal',
        at: { gpu: e.gpu, pid: e.pid, vpn: e.vpn },
        data: {
          gpu: e.gpu,
          pid: e.pid,
          vpn: e.vpn,
          write: e.write,
          ...(e.atomic ? { atomic: true as const } : {}),
          err: e.err,
        },
      } satisfies PermittedAccessServedFinding;
    }
    return null;
  },
};
