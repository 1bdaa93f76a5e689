import type { Invariant } from './invariant.js';
import { accessRefusal } from './accessPermitted.js';
import { va } from './where.js';

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
          expected: `the CPU fault at ${va(e.pid, vpn)} is served (the VMA maps it and permits the access)`,
          actual: 'the fault ended in SIGBUS (VM_FAULT_SIGBUS from the fault path)',
          message: `spurious SIGBUS: a CPU access to mapped, permitted ${va(e.pid, vpn)} was killed`,
        };
      }
      if (e.e !== 'gpu-error') continue;
      if (accessRefusal(s, e.pid, e.vpn, e.write, e.gpu) !== null) continue;
      const how = e.write ? 'write' : 'read';
      return {
        expected: `gpu${e.gpu}'s ${how} fault at ${va(e.pid, e.vpn)} is served: the VMA and the SVM attributes permit it`,
        actual: `the fault handler returned -${e.err}: a fatal GPU fault, the job is killed`,
        message: `gpu${e.gpu} ${how} of mapped, permitted ${va(e.pid, e.vpn)} ended in a fatal fault (-${e.err})`,
      };
    }
    return null;
  },
};
