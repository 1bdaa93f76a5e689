// The synchronisation side of the model as plain data: fences created by command submission, the
// jobs that signal them, and the buffer objects whose dma_resv collects fences (seed 003;
// Documentation/driver-api/dma-buf.rst, "Indefinite DMA Fences").

/**
 * dma: a dma_fence, which must signal in bounded time and whose job must not depend on page-fault
 * resolution or memory allocation; hmm: an hmm_fence (seed 003), which may stall on page faults.
 */
export type FenceKind = 'dma' | 'hmm';

/**
 * Why a fence is waited for. `dependency` is the one König's rule 6 is about: a submission waiting
 * for a fence the fence it is about to create would depend on.
 */
export type WaitPurpose =
  'dependency' | 'job-dependency' | 'eviction' | 'shrinker' | 'release' | 'notifier' | 'explicit';

/** Hardware engines of a GPU (model/fence/engines.ts says which can preempt faulting work). */
export type EngineKind = 'gfx' | 'compute' | 'sdma';

export interface Fence {
  readonly id: number;
  readonly kind: FenceKind;
  readonly job: number;
  readonly signaled: boolean;
  /** Scheduler step at which every dependency of its job had signalled, -1 before. */
  readonly ready: number;
}

/** What a job does once it runs on its engine. */
export type JobWork =
  /** A compute or 3D job touching SVM memory: it may take a recoverable GPU page fault. */
  | { k: 'access'; pid: number; vpn: number; write: boolean }
  /** A job touching only its buffer objects, made resident at submission: it never faults. */
  | { k: 'render' }
  /** A kernel page-table update that unmaps a range (amdgpu_vm_update_range on the SDMA engine). */
  | { k: 'unmap'; pid: number; start: number; end: number };

export interface Job {
  readonly id: number;
  readonly gpu: number;
  readonly engine: EngineKind;
  /** Runs in the resources reserved for dma_fence work on its engine (dma-buf.rst, reservation). */
  readonly reserved: boolean;
  readonly fence: number;
  readonly deps: readonly number[];
  readonly work: JobWork;
  /** Submitted by user space (a command submission), not by the kernel itself. */
  readonly user: boolean;
  /** The buffer object it uses, -1 for none. */
  readonly bo: number;
  /** Id of the activity that runs it (scheduler, engine and completion). */
  readonly act: number;
}

/** A buffer object as eviction sees it: where it lives and the fences in its dma_resv. */
export interface Bo {
  readonly id: number;
  /** The process whose DRM file holds it: its exit releases the buffer. */
  readonly pid: number;
  readonly gpu: number;
  /** Which of the process's buffers on that GPU it is. */
  readonly idx: number;
  /** Its last handle is gone (process exit): freed once its fences have signalled. */
  readonly released: boolean;
  /** Its VRAM page, -1 while evicted to system memory. */
  readonly page: number;
  /** Fences in its dma_resv (signalled ones are pruned when the object is next locked). */
  readonly fences: readonly number[];
}

export interface SyncState {
  readonly fences: readonly Fence[];
  readonly jobs: readonly Job[];
  readonly bos: readonly Bo[];
}
