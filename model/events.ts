// Observations emitted while stepping: what a CPU or GPU read, which notifier fired, what a
// migration achieved. Properties check some of them (reads); traces render all of them.

export type NotifyEvent =
  'unmap' | 'clear' | 'protection_vma' | 'protection_page' | 'migrate' | 'release' | 'exclusive';

export type Event =
  | { e: 'cpu-read'; pid: number; vpn: number; v: number; want: number }
  | { e: 'cpu-write'; pid: number; vpn: number; v: number }
  | { e: 'gpu-read'; gpu: number; pid: number; vpn: number; page: number; v: number; want: number }
  | { e: 'gpu-write'; gpu: number; pid: number; vpn: number; page: number; v: number }
  | { e: 'sigsegv'; pid: number; vpn: number; write: boolean }
  | { e: 'gpu-fault'; gpu: number; pid: number; vpn: number; write: boolean }
  | { e: 'gpu-error'; gpu: number; pid: number; vpn: number; err: string }
  | { e: 'gpu-map'; gpu: number; pid: number; vpn: number; page: number; w: boolean }
  | { e: 'gpu-zap'; gpu: number; pid: number; start: number; end: number; n: number }
  | { e: 'notify'; pid: number; start: number; end: number; event: NotifyEvent; owner: number }
  | { e: 'hmm'; pid: number; start: number; n: number; err: string }
  | { e: 'migrate'; pid: number; start: number; n: number; cpages: number; done: number; to: 'dev' | 'sys' }
  | { e: 'syscall'; op: string; pid: number; err: string; detail: string }
  | { e: 'retry'; gpu: number; pid: number; why: string }
  /** A kernel WARN_ON the real code would hit here: `at` is its file:line in Linux 6.1. */
  | { e: 'warn'; at: string; why: string };
