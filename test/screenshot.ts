// npm run docs:screenshot: renders one archived report's sequence diagram in headless Chromium and
// saves it as docs/report-diagram.png, the picture the README shows.
import { mkdirSync, readFileSync } from 'node:fs';
import { listArchive } from '../archive/listArchive.js';
import { mermaidBlocks, openMermaidPage, renderMermaid } from './chromium.js';

// By default the kfd-legacy case, the archive's first real svm_range issue.
const kfd = listArchive('counterexamples').cases.find((c) => c.cx.driver.name === 'kfd-legacy');
const report = process.argv[2] ?? kfd?.file.replace(/\.json$/, '.md');
if (!report) throw new Error('no report given and no kfd-legacy case in counterexamples/');
const out = process.argv[3] ?? 'docs/report-diagram.png';
const block = mermaidBlocks(readFileSync(report, 'utf8'))[0];
if (!block) throw new Error(`${report} has no mermaid block`);
const m = await openMermaidPage();
try {
  const r = await renderMermaid(m, 'diagram', block);
  if (!r.svg) throw new Error(`${report}: ${r.error ?? 'no SVG'}`);
  await m.page.setViewportSize({ width: 1400, height: 900 });
  await m.page.evaluate((svg) => {
    const doc = (globalThis as unknown as { document: { body: { innerHTML: string } } }).document;
    doc.body.innerHTML = `<div id="shot" style="width:1300px;padding:16px;background:white">${svg}</div>`;
  }, r.svg);
  mkdirSync('docs', { recursive: true });
  await m.page.locator('#shot').screenshot({ path: out });
  console.log(`${out} from ${report}`);
} finally {
  await m.close();
}
