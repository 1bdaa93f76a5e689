// Every archived report's Mermaid diagram renders to an SVG in headless Chromium with the mermaid
// library, without a parse error; a broken diagram is caught (the check itself can fail).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listArchive } from '../archive/listArchive.js';
import { mermaidBlocks, openMermaidPage, renderMermaid, type MermaidPage } from './chromium.js';

const reports = listArchive('counterexamples').cases.map((c) => c.file.replace(/\.json$/, '.md'));

describe('Mermaid diagrams of archived reports', () => {
  let m: MermaidPage;
  beforeAll(async () => {
    m = await openMermaidPage();
  }, 60_000);
  afterAll(async () => {
    await m?.close();
  });

  it('a diagram with a syntax error is reported as one', async () => {
    const r = await renderMermaid(m, 'bad', 'sequenceDiagram\n  a->>: no target\n');
    expect(r.svg).toBeUndefined();
    expect(r.error).toMatch(/Parse error/);
  });

  for (const md of reports)
    it(`${md} renders to an SVG`, async () => {
      const blocks = mermaidBlocks(readFileSync(md, 'utf8'));
      expect(blocks).toHaveLength(1);
      const r = await renderMermaid(m, `d${reports.indexOf(md)}`, blocks[0] as string);
      expect(r.error).toBeUndefined();
      expect(r.svg).toMatch(/^<svg[^>]*>/);
      expect(r.svg).not.toMatch(/Syntax error/i);
      // Every participant made it into the picture.
      for (const p of (blocks[0] as string).matchAll(/participant \w+ as (.+)/g))
        expect(r.svg).toContain((p[1] as string).split(' ')[0]);
    });
});
