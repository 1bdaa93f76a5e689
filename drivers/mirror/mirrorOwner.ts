// The pgmap owner of a GPU's device pages as the mirror passes it to hmm_range_fault and
// migrate_vma_setup: asked of the driver under test (env.drv), so a variant that overrides
// pgmapOwner is the one asked.
import type { Env } from '../../model/proc.js';

export const mirrorOwner = (env: Env, gpu: number): number => env.drv.pgmapOwner(env.s.cfg, gpu);
