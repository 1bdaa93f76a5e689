// Observations emitted while stepping: what a CPU or GPU read, which notifier fired, what a
// migration achieved. Properties check some of them (reads); traces render all of them.

import type { EngineKind, FenceKind, JobWork, WaitPurpose } from './fence/types.js';
import type { Gfp } from './fence/mightAlloc.js';
import type { AttrReport } from './uapi.js';

export type NotifyEvent =
  'unmap' | 'clear' | 'protection_vma' | 'protection_page' | 'migrate' | 'release' | 'exclusive';

export type Event =
  | { e: 'cpu-read'; pid: number; vpn: number; v: number; want: number }
  | { e: 'cpu-write'; pid: number; vpn: number; v: number }
  | { e: 'gpu-read'; gpu: number; pid: number; vpn: number; page: number; v: number; want: number }
  | { e: 'gpu-write'; gpu: number; pid: number; vpn: number; page: number; v: number }
  | { e: 'sigsegv'; pid: number; vpn: number; write: boolean }
  | { e: 'gpu-fault'; gpu: number; pid: number; vpn: number; write: boolean }
  /** A GPU access the fault handler did not resolve (a fatal GPU fault: the job is killed). */
  | { e: 'gpu-error'; gpu: number; pid: number; vpn: number; write: boolean; atomic?: true; err: string }
  | { e: 'gpu-map'; gpu: number; pid: number; vpn: number; page: number; w: boolean }
  | { e: 'gpu-zap'; gpu: number; pid: number; start: number; end: number; n: number }
  | { e: 'notify'; pid: number; start: number; end: number; event: NotifyEvent; owner: number }
  | { e: 'hmm'; pid: number; start: number; n: number; err: string }
  | { e: 'migrate'; pid: number; start: number; n: number; cpages: number; done: number; to: 'dev' | 'sys' }
  | { e: 'syscall'; op: string; pid: number; err: string; detail: string }
  | { e: 'retry'; gpu: number; pid: number; why: string }
  /** set_attr's outcome; `changed` compares the driver's ranges before and after a call that applied nothing. */
  | {
      e: 'svm-set-attr';
      pid: number;
      start: number;
      end: number;
      err: string;
      applied: boolean;
      changed: boolean;
    }
  /** get_attr's answer next to the uAPI model's; `racy` when a concurrent munmap's deferred work was pending. */
  | {
      e: 'svm-get-attr';
      pid: number;
      start: number;
      end: number;
      err: string;
      want: string;
      got: AttrReport | null;
      expect: AttrReport;
      racy: boolean;
    }
  /** A migration window the driver chose for a fault, with the range it belongs to. */
  | { e: 'svm-window'; pid: number; start: number; last: number; rangeStart: number; rangeLast: number }
  | { e: 'svm-range'; pid: number; start: number; last: number; what: string }
  /** A job and its fence became visible; `pendingHmmDeps` are hmm_fence dependencies not yet signalled. */
  | {
      e: 'job-submit';
      job: number;
      fence: number;
      kind: FenceKind;
      gpu: number;
      engine: EngineKind;
      reserved: boolean;
      deps: number[];
      pendingHmmDeps: number[];
      work: JobWork['k'];
      user: boolean;
    }
  /** A (might-)wait on a fence, with everything the waiter held (locks and pseudo-lock sections). */
  | {
      e: 'fence-wait';
      fence: number;
      kind: FenceKind;
      signaled: boolean;
      purpose: WaitPurpose;
      why: string;
      held: string[];
    }
  | { e: 'fence-signal'; fence: number; kind: FenceKind; job: number }
  | { e: 'resv-lock'; name: string; held: string[]; trylock: boolean }
  | { e: 'alloc'; what: string; gfp: Gfp; held: string[] }
  /** A buffer object lost its VRAM page; `waited` counts the fences that had not signalled yet. */
  | { e: 'bo-evict'; bo: number; gpu: number; waited: number; by: 'eviction' | 'shrinker' | 'release' }
  /** A kernel WARN_ON the real code would hit here: `at` is its file:line in Linux 6.1. */
  | { e: 'warn'; at: string; why: string }
  /** A process's GPU queues evicted (kgd2kfd_quiesce_mm) or restored (kgd2kfd_resume_mm); `evicted` after the change. */
  | { e: 'queues'; pid: number; what: 'quiesce' | 'resume'; evicted: number };
