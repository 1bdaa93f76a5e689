// Mermaid diagrams parsed by the mermaid library in Node, without a browser or a DOM: the same
// parser the browser runs (mermaid 11 parses in Node; only rendering needs a DOM), so a diagram
// with a syntax error or a missing participant is caught on a machine without Chromium too.
import mermaid from 'mermaid';

export type MermaidParse =
  { ok: true; type: string; actors: string[]; messages: number } | { ok: false; error: string };

interface SequenceDb {
  getActorKeys(): string[];
  getMessages(): unknown[];
}

export async function parseMermaid(text: string): Promise<MermaidParse> {
  try {
    const { diagramType } = await mermaid.parse(text);
    const d = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = d.db as Partial<SequenceDb>;
    return {
      ok: true,
      type: diagramType,
      actors: db.getActorKeys?.() ?? [],
      messages: db.getMessages?.().length ?? 0,
    };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}
