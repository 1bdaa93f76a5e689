// svmcheck compare: the same seed gives the same bytes (table, JSON and SVG), another seed other
// ones; bad input is one line and exit 2; the chart is valid SVG with a panel per cost, and it
// renders in headless Chromium (the browser of test/chromium.ts, skipped loudly without one
// except under CI=true).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { COST_KEYS } from '../model/costs/costs.js';
import { CHROMIUM, chromiumMissing } from './chromium.js';
import { cli } from './cliHarness.js';

const dir = mkdtempSync(join(tmpdir(), 'svmcheck-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const args = (seed: number, svg: string): string[] => [
  'compare',
  '--workload',
  'two-gpu-pcie',
  '--policies',
  'page,win64k,remote',
  '--runs',
  '2',
  '--seed',
  String(seed),
  '--svg',
  svg,
];

describe('svmcheck compare', () => {
  const svgA = join(dir, 'a.svg');
  const svgB = join(dir, 'b.svg');
  const svgC = join(dir, 'c.svg');
  it('is deterministic per seed: the same table and the same SVG bytes; another seed differs', async () => {
    const a = await cli(...args(11, svgA));
    const b = await cli(...args(11, svgB));
    const c = await cli(...args(12, svgC));
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(readFileSync(svgA)).toEqual(readFileSync(svgB));
    expect(c.out).not.toBe(a.out);
    expect(readFileSync(svgC, 'utf8')).not.toBe(readFileSync(svgA, 'utf8'));
    for (const { label } of COST_KEYS) expect(a.out).toContain(label);
  }, 120_000);

  it('--json carries the medians, p90s and per-run costs of every policy', async () => {
    const r = await cli(
      'compare',
      '--workload',
      'two-gpu-pcie',
      '--policies',
      'page,remote',
      '--runs',
      '2',
      '--seed',
      '11',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      k: string;
      policies: { policy: string; runs: unknown[]; median: Record<string, number> }[];
    };
    expect(j.k).toBe('measured');
    expect(j.policies.map((p) => p.policy)).toEqual(['page', 'remote']);
    expect(j.policies[0]?.runs).toHaveLength(2);
    // PCIe GPUs cannot reach each other's VRAM: faulting pages over moves them VRAM to VRAM.
    expect(j.policies[0]?.median['pagesDevToDev']).toBeGreaterThan(0);
    expect(j.policies[1]?.median['pagesDevToDev']).toBe(0);
  }, 120_000);

  it('refuses an unknown policy or workload, or none, in one line with exit 2', async () => {
    for (const bad of [
      ['compare', '--workload', 'brk-heap', '--policies', 'page,nope'],
      ['compare', '--workload', 'nope'],
      ['compare'],
      ['compare', '--workload', 'brk-heap', '--policies', 'page,page'],
      // Refused before any run: the directory does not exist.
      ['compare', '--workload', 'brk-heap', '--svg', join(dir, 'no-such-dir', 'x.svg')],
      ['compare', '--workload', 'brk-heap', '--runs', '0'],
      ['compare', '--workload', 'brk-heap', '--seed', 'abc'],
    ]) {
      const r = await cli(...bad);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  /** One run of seed 1: the workload under one policy. */
  const once = (workload: string, policy: string, ...more: string[]): ReturnType<typeof cli> =>
    cli('compare', '--workload', workload, '--policies', policy, '--runs', '1', '--seed', '1', ...more);

  it("stops on shipped kfd's fork finding in brk-heap, names it an open finding, exit 1", async () => {
    const r = await once('brk-heap', 'kfd-page');
    expect(r.code).toBe(1);
    expect(r.out).toContain('compare stopped: policy kfd-page, run 1');
    expect(r.out).toMatch(/this is kfd's open finding kfd-\w+ \(mirror-consistency\)/);
  }, 120_000);

  it('seed 002 on shipped kfd: contradicting hints in one hive ping-pong, agreeing ones do not', async () => {
    const pingPong = async (w: string): Promise<number> => {
      const r = await once(w, 'kfd-page', '--json');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as { policies: { median: Record<string, number> }[] };
      return j.policies[0]?.median['pingPong'] ?? -1;
    };
    expect(await pingPong('two-gpu-agree')).toBe(0);
    expect(await pingPong('two-gpu-contradict')).toBeGreaterThan(50);
  }, 120_000);

  it('writes well-formed SVG: a panel per cost, a bar per policy', () => {
    const svg = readFileSync(svgA, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const { key } of COST_KEYS) expect(svg).toContain(`<g id="cost-${key}">`);
    expect(svg.match(/<rect x=/g)).toHaveLength(COST_KEYS.length * 3);
  });
});

const missing = process.env['CI'] === 'true' ? null : chromiumMissing();
if (missing) console.warn(`SKIPPED: rendering the compare chart in headless Chromium: ${missing}`);
(missing ? describe.skip : describe)(
  `the compare chart in headless Chromium${missing ? ` (SKIPPED: ${missing})` : ''}`,
  () => {
    it('renders every panel with its bars, and a broken chart fails to parse', async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu'],
      });
      try {
        const page = await browser.newPage();
        const svgFile = join(dir, 'a.svg');
        await page.goto(`file://${svgFile}`);
        // Locators, not DOM code: the tests are typed without the DOM library.
        expect(await page.locator('svg').count()).toBe(1);
        expect(await page.locator('parsererror').count()).toBe(0);
        const panels = page.locator('g[id^="cost-"]');
        const ids = await panels.evaluateAll((gs) => gs.map((g) => g.id));
        expect(ids).toEqual(COST_KEYS.map((k) => `cost-${k.key}`));
        for (let i = 0; i < ids.length; i++) {
          const box = await panels.nth(i).boundingBox();
          expect((box?.width ?? 0) * (box?.height ?? 0)).toBeGreaterThan(0);
        }
        expect(await page.locator('rect[x]').count()).toBe(COST_KEYS.length * 3);
        // The same checks on a chart cut short: Chromium shows a parse error instead.
        const broken = join(dir, 'broken.svg');
        writeFileSync(broken, readFileSync(svgFile, 'utf8').slice(0, 400));
        await page.goto(`file://${broken}`);
        expect(await page.locator('parsererror').count()).toBeGreaterThan(0);
      } finally {
        await browser.close();
      }
    }, 120_000);
  },
);
