// Every archived report's Mermaid diagram is parsed by the mermaid library in Node (always: no
// browser needed), and rendered to an SVG in headless Chromium where there is one. Without
// Chromium the rendering tests are skipped with the reason in their names and on stderr, except
// under CI=true, where the browser is required and its absence fails them. Each check can fail: a
// broken diagram is caught by both.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listArchive } from '../archive/listArchive.js';
import {
  chromiumMissing,
  mermaidBlocks,
  openMermaidPage,
  renderMermaid,
  type MermaidPage,
} from './chromium.js';
import { parseMermaid } from './mermaidNode.js';

const reports = listArchive('counterexamples').cases.map((c) => c.file.replace(/\.json$/, '.md'));
const BROKEN = 'sequenceDiagram\n  a->>: no target\n';

/** The participant ids a diagram declares, and their labels' first words. */
function participants(text: string): Array<{ id: string; label: string }> {
  return [...text.matchAll(/participant (\w+) as (.+)/g)].map((p) => ({
    id: p[1] as string,
    label: (p[2] as string).split(' ')[0] as string,
  }));
}

function diagramOf(md: string): string {
  const blocks = mermaidBlocks(readFileSync(md, 'utf8'));
  expect(blocks).toHaveLength(1);
  return blocks[0] as string;
}

describe('Mermaid diagrams of archived reports, parsed in Node', () => {
  it('a diagram with a syntax error is reported as one', async () => {
    const r = await parseMermaid(BROKEN);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/Parse error/);
  });

  it('there are reports to check', () => {
    expect(reports.length).toBeGreaterThan(0);
  });

  for (const md of reports)
    it(`${md} parses as a sequence diagram with its participants`, async () => {
      const text = diagramOf(md);
      const r = await parseMermaid(text);
      if (!r.ok) expect.fail(r.error);
      expect(r.type).toBe('sequence');
      expect(r.messages).toBeGreaterThan(0);
      const ids = participants(text).map((p) => p.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(r.actors).toEqual(ids);
    });
});

// Required under CI=true (openMermaidPage then fails naming the missing binary); skipped loudly elsewhere.
const missing = process.env['CI'] === 'true' ? null : chromiumMissing();
if (missing) console.warn(`SKIPPED: rendering Mermaid diagrams in headless Chromium: ${missing}`);
const browser = missing ? describe.skip : describe;

browser(
  `Mermaid diagrams of archived reports, rendered in headless Chromium${missing ? ` (SKIPPED: ${missing})` : ''}`,
  () => {
    let m: MermaidPage;
    beforeAll(async () => {
      m = await openMermaidPage();
    }, 60_000);
    afterAll(async () => {
      await m?.close();
    });

    it('a diagram with a syntax error is reported as one', async () => {
      const r = await renderMermaid(m, 'bad', BROKEN);
      expect(r.svg).toBeUndefined();
      expect(r.error).toMatch(/Parse error/);
    });

    for (const md of reports)
      it(`${md} renders to an SVG`, async () => {
        const text = diagramOf(md);
        const r = await renderMermaid(m, `d${reports.indexOf(md)}`, text);
        expect(r.error).toBeUndefined();
        expect(r.svg).toMatch(/^<svg[^>]*>/);
        expect(r.svg).not.toMatch(/Syntax error/i);
        // Every participant made it into the picture.
        for (const p of participants(text)) expect(r.svg).toContain(p.label);
      });
  },
);
