// Scales and their validation. Small on purpose: a handful of pages and VRAM of a few pages make
// collisions, pressure and partial migration the normal case.
import { z } from 'zod';
import type { Config } from './types.js';

export const GpuConfigSchema = z.object({
  mem: z.enum(['private', 'coherent']),
  vram: z.number().int().min(1).max(64),
  hive: z.number().int().min(0).max(7),
});

export const ConfigSchema = z
  .object({
    vaPages: z.number().int().min(1).max(256),
    sysPages: z.number().int().min(2).max(1024),
    gpus: z.array(GpuConfigSchema).min(1).max(4),
    maxProcs: z.number().int().min(1).max(8),
  })
  .superRefine((c, ctx) => {
    // A device-coherent page is mapped by the CPU and mirrored as-is, so every GPU must reach it.
    const coherent = c.gpus.some((g) => g.mem === 'coherent');
    if (coherent && new Set(c.gpus.map((g) => g.hive)).size > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['gpus'],
        message:
          'a device-coherent GPU requires every GPU to be in its hive (its VRAM must be reachable by all)',
      });
    }
  });

export const DEFAULT_CONFIG: Config = {
  vaPages: 8,
  sysPages: 40,
  gpus: [
    { mem: 'private', vram: 3, hive: 0 },
    { mem: 'private', vram: 3, hive: 1 },
  ],
  maxProcs: 3,
};
