// The drm_gpusvm_ctx and drm_pagemap_migrate_details choices xe makes (a design, not a bug switch):
// what the family's correct drivers are built with.
export interface XeDesign {
  /** ctx.allow_mixed: xe leaves it false (one drm_pagemap and one zdd per pages struct). */
  readonly allowMixed: boolean;
  /** ctx.check_pages_threshold in pages: xe's SZ_64K, the scaled middle chunk. */
  readonly checkPagesThreshold: number;
  /** mdetails.can_migrate_same_pagemap. */
  readonly sameOk: boolean;
  /**
   * MIGRATE_VMA_SELECT_DEVICE_PRIVATE in drm_pagemap_migrate_to_devmem()'s migrate.flags: left out
   * by the commit read (FIXME there: device-to-device migration bounces through system memory);
   * with it, a peer's device-private pages of our interconnect group are collected and copied by
   * the peer (source_peer_migrates).
   */
  readonly selectDevicePrivate: boolean;
}

/** drm_pagemap.c at 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001 with xe_svm.c's context. */
export const XE_AS_READ: XeDesign = {
  allowMixed: false,
  checkPagesThreshold: 2,
  sameOk: false,
  selectDevicePrivate: false,
};
