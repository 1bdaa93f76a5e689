import { match } from 'ts-pattern';
import type { Words } from '../../properties/invariant.js';
import type { PermittedAccessServedFinding } from '../../properties/permittedAccessServed.js';
import { va } from '../pageWords.js';

export function permittedAccessServedWords(f: PermittedAccessServedFinding): Words {
  return match(f)
    .with({ code: 'sigbus' }, ({ data: d }) => ({
      expected: `the CPU fault at ${va(d.pid, d.vpn)} is served (the VMA maps it and permits the access)`,
      actual: 'the fault ended in SIGBUS (VM_FAULT_SIGBUS from the fault path)',
      message: `spurious SIGBUS: a CPU access to mapped, permitted ${va(d.pid, d.vpn)} was killed`,
    }))
    .with({ code: 'gpu-fatal' }, ({ data: d }) => {
      const how = d.atomic ? 'atomic' : d.write ? 'write' : 'read';
      return {
        expected: `gpu${d.gpu}'s ${how} fault at ${va(d.pid, d.vpn)} is served: the VMA and the SVM attributes permit it`,
        actual: `the fault handler returned -${d.err}: a fatal GPU fault, the job is killed`,
        message: `gpu${d.gpu} ${how} of mapped, permitted ${va(d.pid, d.vpn)} ended in a fatal fault (-${d.err})`,
      };
    })
    .exhaustive();
}
