// Versioned rules checked against the real kernels (conformance/versioned/): one program per
// behaviour that differs between 6.1 and 6.12, recorded on both. The model configured for the
// release that printed a record must predict it line for line, and the other release's
// configuration must not: the record tells the releases apart, and the rule is what the model needs.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConformanceFile } from '../conformance/conformanceFile.js';
import { releaseKernel } from '../conformance/kernelVersions.js';
import { runOnModel } from '../conformance/runOnModel.js';

const dir = fileURLToPath(new URL('../conformance/versioned/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('versioned rules against the kernels that printed them', () => {
  it('there are records of both releases', () => {
    expect(files.some((f) => f.endsWith('-6.1.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('-6.12.json'))).toBe(true);
  });
  for (const f of files)
    it(`${f}: the model of that release predicts what it printed`, () => {
      const cx = loadConformanceFile(`${dir}${f}`);
      const m = runOnModel(cx.program, releaseKernel(cx.kernel));
      expect(m.lines).toEqual(cx.observed.lines);
      expect(m.end).toBe(cx.observed.end);
    });

  it('the clean-pte record tells 6.1 from 6.12: each release model predicts only its own', () => {
    const clean = (k: string) => loadConformanceFile(`${dir}can_change_pte_writable-clean-${k}.json`);
    const a = clean('6.1');
    const b = clean('6.12');
    expect(a.observed.lines).not.toEqual(b.observed.lines);
    expect(runOnModel(a.program, '6.12').lines).not.toEqual(a.observed.lines);
    expect(runOnModel(b.program, '6.1').lines).not.toEqual(b.observed.lines);
  });
});
