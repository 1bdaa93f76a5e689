import type { Explanation } from './explanation.js';
import { footerLines } from './footerLines.js';
import { mermaidText } from './mermaid.js';

/** The explanation for tools: the data itself, plus the diagram as Mermaid text and the commit tags as lines. */
export function explanationJson(x: Explanation): Record<string, unknown> {
  return { ...x, mermaid: mermaidText(x.diagram), tags: footerLines(x) };
}
