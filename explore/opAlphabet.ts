// Every operation the explorer may start, for one scope: each operand ranges over all values that
// can resolve differently at that scale (relative targets are taken modulo what exists, so larger
// values only repeat smaller ones). A new operation kind fails to compile here until it is enumerated.
import { match } from 'ts-pattern';
import type { Op } from '../model/ops.js';
import { OP_KINDS, type OpKind } from '../model/ops.js';
import type { Prot } from '../model/types.js';
import type { Scope } from './scope.js';

const range = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/** All combinations of the given operand ranges, as records (the last key varies fastest). */
function product(ranges: Record<string, readonly unknown[]>): Array<Record<string, unknown>> {
  let out: Array<Record<string, unknown>> = [{}];
  for (const [k, values] of Object.entries(ranges))
    out = out.flatMap((partial) => values.map((v) => ({ ...partial, [k]: v })));
  return out;
}

export function opAlphabet(scope: Scope): Op[] {
  const c = scope.config;
  const on = range(0, scope.threads - 1);
  const proc = range(0, c.maxProcs - 1);
  const vma = range(0, c.vaPages - 1);
  const off = range(0, c.vaPages - 1);
  const len = range(1, c.vaPages);
  const gpu = range(0, c.gpus.length - 1);
  const prot: Prot[] = ['rw', 'r', 'none'];
  // A few attribute sets: each kind of change once (GPU 0 as the location and the accessing GPU),
  // which is what the svm_range bugs need; values name GPU g as g + 1 (0: system memory).
  const attrs = scope.attrs ?? [
    [{ t: 'preferred', v: 1 }],
    [{ t: 'preferred', v: 0 }],
    [{ t: 'prefetch', v: 1 }],
    [{ t: 'access', v: 0 }],
    [{ t: 'noaccess', v: 0 }],
  ];
  const of = (kind: OpKind): Op[] =>
    match(kind)
      .returnType<Array<Record<string, unknown>>>()
      .with('mmap', () => product({ on, proc, pages: len, prot, shared: [false, true] }))
      .with('munmap', 'madvise_dontneed', () => product({ on, proc, vma, off, len }))
      .with('mprotect', () => product({ on, proc, vma, off, len, prot }))
      .with('fork', 'exit', () => product({ on, proc }))
      .with('cpu_read', 'cpu_write', () => product({ on, proc, vma, off }))
      .with('gpu_read', 'gpu_write', 'gpu_atomic', () => product({ gpu, proc, vma, off }))
      .with('migrate', () => product({ on, gpu, proc, vma, off, len, to: ['dev', 'sys'] }))
      .with('svm_set_attr', () => product({ on, proc, vma, off, len, attrs }))
      .with('svm_get_attr', 'gpuvm_map', () => product({ on, proc, vma, off, len }))
      // One SVM job per access kind on the compute engine, one render job with buffer 0; a
      // dependency on the latest submission or none.
      .with('submit', () => [
        ...product({
          on,
          gpu,
          engine: ['compute'],
          proc,
          vma,
          off,
          write: [false, true],
          svm: [true],
          bo: [-1],
          dep: [0, 1],
        }),
        ...product({
          on,
          gpu,
          engine: ['gfx'],
          proc,
          vma: [0],
          off: [0],
          write: [false],
          svm: [false],
          bo: [0],
          dep: [0, 1],
        }),
      ])
      .with('fence_wait', () => product({ on, proc, fence: [0] }))
      .with('reclaim', () => product({ on, proc }))
      .with('device_unbind', () => product({ on, proc, gpu: [0] }))
      .exhaustive()
      .map((operands) => ({ op: kind, ...operands }) as Op);
  // A scope may restrict the alphabet to the kinds its drivers use (see scopes.ts).
  return (scope.kinds ?? OP_KINDS).flatMap(of);
}
