// Headless Chromium from Debian's package (never a downloaded browser), driven by playwright-core,
// with mermaid's bundled script loaded from node_modules: renders report diagrams offline.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['SVMCHECK_CHROMIUM'] ?? '/usr/bin/chromium';

/** Why the browser cannot run here (null when it can): the binary is missing. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does, or name another binary with SVMCHECK_CHROMIUM`;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface MermaidPage {
  page: Page;
  close(): Promise<void>;
}

export async function openMermaidPage(): Promise<MermaidPage> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const profile = mkdtempSync(join(tmpdir(), 'svmcheck-chromium-'));
  // Playwright passes the fresh profile directory to Chromium as its --user-data-dir.
  const ctx: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.setContent('<!doctype html><html><body style="margin:0;background:white"></body></html>');
  await page.addScriptTag({ path: resolve('node_modules/mermaid/dist/mermaid.min.js') });
  await page.evaluate(() => {
    (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
    });
  });
  return {
    page,
    async close() {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Renders one diagram: its SVG, or mermaid's parse error. */
export async function renderMermaid(
  m: MermaidPage,
  id: string,
  text: string,
): Promise<{ svg?: string; error?: string }> {
  return m.page.evaluate(
    async ([id, text]) => {
      const mm = (
        globalThis as unknown as { mermaid: { render(id: string, t: string): Promise<{ svg: string }> } }
      ).mermaid;
      try {
        return { svg: (await mm.render(id, text)).svg };
      } catch (e) {
        return { error: String(e) };
      }
    },
    [id, text] as const,
  );
}

/** The ```mermaid blocks of a Markdown text. */
export function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1] as string);
}
