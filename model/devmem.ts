// The life of a GPU's device memory (a dev_pagemap) once its driver is unbound: 'dying' from the
// moment the remove path starts — drm_dev_unplug() makes drm_dev_enter() fail, so a correct driver
// refuses new work on the device — 'killed' once memunmap_pages() killed pgmap->ref and waits for
// the last page reference, and 'gone' when it returned. Kept in named counters (State.counters) so
// that the state encoding sees it.
import { instanceName } from './instanceName.js';
import { KernelBug } from './kernelBug.js';
import { bumpCounter } from './proc.js';
import type { State } from './types.js';

const dyingKey = instanceName('devmem_dying');
const killedKey = instanceName('devmem_killed');
const goneKey = instanceName('devmem_gone');

export type DevmemLife = 'live' | 'dying' | 'killed' | 'gone';

export function devmemLife(s: State, gpu: number): DevmemLife {
  if (s.counters[goneKey(gpu)]) return 'gone';
  if (s.counters[killedKey(gpu)]) return 'killed';
  return s.counters[dyingKey(gpu)] ? 'dying' : 'live';
}

const usersKey = instanceName('drm_dev_srcu');

/** The counter drm_dev_unplug()'s synchronize_srcu() waits on: sections between enter and exit. */
export const devSectionKey = (gpu: number): string => usersKey(gpu);

/**
 * drm_dev_enter() (drivers/gpu/drm/drm_drv.c): false once the device's unplug began; otherwise the
 * caller is inside an SRCU read section that drm_dev_unplug() waits for, until drmDevExit().
 */
export function drmDevEnter(s: State, gpu: number): boolean {
  if (s.counters[dyingKey(gpu)]) return false;
  bumpCounter(s, usersKey(gpu), 1);
  return true;
}

/** drm_dev_exit(): ends the section drmDevEnter() began. */
export function drmDevExit(s: State, gpu: number): void {
  bumpCounter(s, usersKey(gpu), -1);
}

export function markDevmemDying(s: State, gpu: number): void {
  bumpCounter(s, dyingKey(gpu), 1);
}

export function markDevmemKilled(s: State, gpu: number): void {
  bumpCounter(s, killedKey(gpu), 1);
}

export function markDevmemGone(s: State, gpu: number): void {
  bumpCounter(s, goneKey(gpu), 1);
}

/**
 * zone_device_page_init() on a page of a dev_pagemap being released: percpu_ref_tryget_live() on
 * pgmap->ref fails once memunmap_pages() killed it, and the kernel WARNs (mm/memremap.c 6.1,
 * WARN_ON_ONCE(!percpu_ref_tryget_live(&page->pgmap->ref))). A driver reaching it did not refuse
 * work on a device it was being unbound from.
 */
export function checkDevmemLive(s: State, gpu: number, page: number): void {
  const life = devmemLife(s, gpu);
  if (life === 'live' || life === 'dying') return;
  throw new KernelBug('device-teardown', 'teardown', {
    code: 'pgmap-ref-dead',
    at: { gpu, page },
    data: { page, gpu },
  });
}
