// Bugs of a Linux release that the model reproduces through its rules for that release (kernelRules.ts)
// and that upstream fixed later: a failure any driver can meet on that release, whatever it does, as
// long as it uses the core-mm path named. Each is explained by a predicate over the state the
// failure was found in, so a soak of that release reports a failure it explains as this known
// upstream bug (like a driver's open findings) and still fails on anything else of the same class.
import type { KernelVersion } from './kernelVersion.js';
import type { State } from './types.js';

export interface KernelFinding {
  id: string;
  kernels: readonly KernelVersion[];
  /** The invariant (or run failure) it breaks. */
  invariant: string;
  /** The bug, in kernel terms. */
  summary: string;
  /** The upstream fix, and the release it is in. */
  fixedBy: string;
  /** Whether this bug is what the state the failure was found in shows. */
  explains(s: State): boolean;
}

/** An activity keeping its CPU in hmm_range_fault()'s retry of a fault that only met a locked folio. */
function spinsInHmmRangeFault(s: State): boolean {
  return s.acts.some((a) => {
    const top = a.frames[a.frames.length - 1];
    return a.cpu >= 0 && a.spin && top?.fn === 'hmm_range_fault' && top.pc === 'walk';
  });
}

export const KERNEL_FINDINGS: readonly KernelFinding[] = [
  {
    id: 'hmm-range-fault-trylock-spin',
    kernels: ['6.15'],
    invariant: 'no-lockup',
    summary:
      "hmm_range_fault() retries, with no preemption point, a fault that only failed do_swap_page()'s trylock of a device-private folio (1afaeb8293c9, v6.15); under PREEMPT_NONE or VOLUNTARY the task holding the folio lock, or the per-CPU work it waits for (migrate_device_unmap() -> lru_add_drain_all()), never gets that CPU: a soft lockup",
    fixedBy:
      'b570f37a2ce4 "mm: Fix a hmm_range_fault() livelock / starvation problem" (v7.0, Cc stable 6.15+): the contended fault sleeps until the folio is unlocked',
    explains: spinsInHmmRangeFault,
  },
];

/** The known upstream bug of `kernel` that explains a failure of `invariant` ending in state `s`. */
export function kernelFindingFor(
  kernel: KernelVersion,
  invariant: string,
  s: State,
): KernelFinding | undefined {
  return KERNEL_FINDINGS.find(
    (f) => f.kernels.includes(kernel) && f.invariant === invariant && f.explains(s),
  );
}
