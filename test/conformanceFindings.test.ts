// The archived conformance cases (conformance/findings/): for each, the model configured for the
// release that printed it must still predict exactly what it printed, line for line, how the run
// ended (oops, hang) and its WARNINGs. The kernel findings among them are bugs of 6.1, re-checked on
// 6.12 (findings/6.12/: all still there), that the model reproduces on purpose.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConformanceFile } from '../conformance/conformanceFile.js';
import { runOnModel } from '../conformance/runOnModel.js';
import { releaseKernel } from '../conformance/kernelVersions.js';

const dir = fileURLToPath(new URL('../conformance/findings/', import.meta.url));
// The findings as recorded on 6.1.192, and re-checked on 6.12.118 (findings/6.12/).
const files = [
  ...readdirSync(dir).filter((f) => f.endsWith('.json')),
  ...readdirSync(`${dir}6.12/`)
    .filter((f) => f.endsWith('.json'))
    .map((f) => `6.12/${f}`),
];

describe('archived conformance cases', () => {
  it('there are some, on both releases', () => {
    expect(files.filter((f) => !f.startsWith('6.12/')).length).toBeGreaterThanOrEqual(5);
    expect(files.filter((f) => f.startsWith('6.12/')).length).toBeGreaterThanOrEqual(5);
  });
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
