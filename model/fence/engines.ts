// A GPU's engines and the property that matters for fences: whether the engine can preempt a job
// that is stalled on a page fault. Documentation/driver-api/dma-buf.rst, "Recoverable Hardware
// Page Faults Implications": a 3D job with a dma_fence and a faulting compute job that share
// resources can deadlock unless faulting work can be preempted or resources are reserved.
import type { EngineKind } from './types.js';

export interface EngineInfo {
  /** Can switch out a job stalled on an unresolved page fault, freeing the engine for others. */
  preempt: boolean;
  what: string;
}

export const ENGINES: Readonly<Record<EngineKind, EngineInfo>> = {
  gfx: {
    preempt: false,
    what: 'graphics engine whose compute units 3D and compute work share: a job stalled on a page fault keeps them',
  },
  compute: {
    preempt: true,
    what: 'compute queue with mid-wave preemption: a job stalled on a page fault is switched out',
  },
  sdma: {
    preempt: true,
    what: 'copy engine the kernel uses for page-table updates; it runs nothing that faults',
  },
};

/** The lock that stands for an engine's execution resources (or the share reserved for dma_fence work). */
export const engineSlot = (gpu: number, engine: EngineKind, reserved: boolean): string =>
  `engine_${engine}${reserved ? '_reserved' : ''}:gpu${gpu}`;
