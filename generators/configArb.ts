import fc from 'fast-check';
import { DEFAULT_KERNEL } from '../model/kernelVersion.js';
import type { Config, GpuConfig } from '../model/types.js';
import type { Profile } from './profiles.js';

/** Small scales: 8 VA pages, 1-3 GPUs with 1-3 VRAM pages each; shrinks toward one private GPU. */
export function configArb(profile: Profile): fc.Arbitrary<Config> {
  const gpu: fc.Arbitrary<GpuConfig> = fc.record({
    mem: fc.constant('private' as const),
    vram: fc.integer({ min: profile.vram?.[0] ?? 1, max: profile.vram?.[1] ?? 3 }),
    hive: fc.integer({ min: 0, max: 1 }),
  });
  return fc
    .record({
      gpus: fc.array(gpu, { minLength: profile.minGpus ?? 1, maxLength: profile.maxGpus }),
      coherent: fc.integer({ min: 0, max: 9 }).map((x) => x < profile.coherent),
      // Only a profile that asks draws them, so the other suites' programs stay what they were per seed.
      // Shrinks toward one CPU under PREEMPT_NONE: the smallest machine where a lockup shows.
      cpus: profile.cpus ? fc.integer({ min: 1, max: 2 }) : fc.constant(0),
      preempt: profile.cpus
        ? fc.constantFrom('none' as const, 'voluntary' as const, 'full' as const)
        : fc.constant('voluntary' as const),
    })
    .map(({ gpus, coherent, cpus, preempt }) => ({
      ...(profile.cpus ? { cpus, preempt } : {}),
      vaPages: 8,
      sysPages: 40,
      maxProcs: 3,
      // The profile's release, not drawn: a counterexample stays on the release it was found on.
      kernel: profile.kernel ?? DEFAULT_KERNEL,
      ...(profile.pmdPages ? { pmdPages: profile.pmdPages } : {}),
      ...(profile.xnack ? { xnack: profile.xnack } : {}),
      // Device-coherent memory needs every GPU in one hive (see ConfigSchema).
      gpus: coherent
        ? gpus.map((g, i) => ({ ...g, hive: 0, mem: i === 0 ? ('coherent' as const) : g.mem }))
        : gpus,
    }));
}
