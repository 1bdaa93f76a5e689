// The archived conformance cases (conformance/findings/): for each, the model must still predict
// exactly what Linux 6.1 printed, line for line, how the run ended (oops, hang) and its WARNINGs.
// The kernel findings among them are bugs of 6.1 that the model reproduces on purpose.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConformanceFile } from '../conformance/conformanceFile.js';
import { runOnModel } from '../conformance/runOnModel.js';
import { releaseKernel } from '../conformance/kernelVersions.js';

const dir = fileURLToPath(new URL('../conformance/findings/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('archived conformance cases', () => {
  it('there are some', () => expect(files.length).toBeGreaterThanOrEqual(5));
  for (const f of files) {
    it(`${f}: the model predicts what Linux printed`, () => {
      const cx = loadConformanceFile(`${dir}${f}`);
      const m = runOnModel(cx.program, releaseKernel(cx.kernel));
      expect(m.lines).toEqual(cx.observed.lines);
      expect(m.end).toBe(cx.observed.end);
      const warned = cx.observed.log.flatMap((l) => /WARNING: CPU: \d+ PID: \d+ at (\S+)/.exec(l)?.[1] ?? []);
      expect(m.warnings).toEqual(warned);
    });
  }
});
