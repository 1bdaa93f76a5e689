// lib/test_hmm.c's bookkeeping as plain data: one mirror per open of /dev/hmm_dmirrorN (its own
// XArray page table and mmu_interval_notifier over the opener's mm), which mirror migrated each
// device page (rpage->zone_device_data) and which notifier belongs to whom. Entries are also
// reflected into the model's GPU page table of (device, pid) so the generic invariants can see them.
import { gpuMap, gpuZap } from '../../model/gpu.js';
import type { Env } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import { driverState } from '../../model/touched.js';

/** DPT_XA_TAG_*: read-only (no tag), DPT_XA_TAG_WRITE, DPT_XA_TAG_ATOMIC. */
export type DmTag = 'r' | 'w' | 'a';

export interface DmEntry {
  page: number;
  tag: DmTag;
  /**
   * The entry holds the struct page hmm_range_fault() returned, not a backing page: for a
   * device-private page that is the ZONE_DEVICE page itself, which has no kernel mapping.
   */
  direct: boolean;
}

export interface DmMirror {
  id: number;
  dev: number;
  pid: number;
  nid: number;
  alive: boolean;
  /** The mirror's XArray, keyed by virtual page. */
  pt: Record<string, DmEntry>;
  /** dmirror->flags, set by HMM_DMIRROR_FLAGS (the device-private THP era's test_hmm). */
  flags?: number;
}

export interface DmirrorState {
  mirrors: DmMirror[];
  /** Notifier id -> mirror id; a snapshot's temporary notifier maps to -1 - mirror id. */
  byNid: Record<string, number>;
  /** Device page -> the mirror that migrated it to its device (rpage->zone_device_data). */
  migratedBy: Record<string, number>;
}

export const dmState = (s: State): DmirrorState => driverState<DmirrorState>(s);

/** dev_pagemap owner of a dmirror device (its struct dmirror_device). */
export const dmOwner = (dev: number): number => dev + 1;

export const dmMutex = (m: DmMirror): string => `dmirror_mutex:${m.id}`;

export function mirrorById(s: State, id: number): DmMirror {
  const m = dmState(s).mirrors[id];
  if (!m) throw new Error(`dmirror: no mirror ${id}`);
  return m;
}

/** The live mirror of the device over the process, if one is open. */
export function liveMirror(s: State, dev: number, pid: number): DmMirror | undefined {
  return dmState(s).mirrors.find((m) => m.alive && m.dev === dev && m.pid === pid);
}

export function mirrorStore(env: Env, m: DmMirror, vpn: number, e: DmEntry): void {
  m.pt[vpn] = e;
  if (env.s.gpuPt[m.dev]?.[m.pid]) gpuMap(env, m.dev, m.pid, vpn, e.page, e.tag === 'w');
}

export function mirrorErase(env: Env, m: DmMirror, vpn: number): void {
  if (!(vpn in m.pt)) return;
  delete m.pt[vpn];
  gpuZap(env, m.dev, m.pid, vpn, vpn + 1);
}

/** HMM_DMIRROR_FLAG_FAIL_ALLOC (lib/test_hmm_uapi.h): the next allocation of a copy target fails. */
export const DM_FLAG_FAIL_ALLOC = 1;

/**
 * The one-shot HMM_DMIRROR_FLAG_FAIL_ALLOC check of dmirror_migrate_alloc_and_copy() and
 * dmirror_devmem_fault_alloc_and_copy(): "if (dmirror->flags & HMM_DMIRROR_FLAG_FAIL_ALLOC) {
 * dmirror->flags &= ~HMM_DMIRROR_FLAG_FAIL_ALLOC; dpage = NULL; }" — true once after the flag is set.
 */
export function takeFailAlloc(m: DmMirror): boolean {
  if (((m.flags ?? 0) & DM_FLAG_FAIL_ALLOC) === 0) return false;
  m.flags = (m.flags ?? 0) & ~DM_FLAG_FAIL_ALLOC;
  return true;
}
