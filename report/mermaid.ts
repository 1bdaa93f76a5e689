// Mermaid text of a sequence diagram (GitHub and GitLab render ```mermaid blocks).
import { match } from 'ts-pattern';
import type { DiagramItem, SequenceDiagram } from './explanation.js';

/** Mermaid reads ';' as a statement end and '#' as an entity start; '<' '>' would be HTML. */
function esc(s: string): string {
  return s.replace(/#/g, '#35;').replace(/;/g, '#59;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** Participant ids: letters, digits and underscores only. */
const id = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_');

function lines(item: DiagramItem, indent: string): string[] {
  return match(item)
    .with({ k: 'msg' }, (m) => [
      `${indent}${id(m.from)}${m.reply ? '-->>' : '->>'}${id(m.to)}: ${esc(m.text)}`,
    ])
    .with({ k: 'note' }, (n) => [`${indent}Note over ${id(n.over)}: ${esc(n.text)}`])
    .with({ k: 'broken' }, (b) => [
      `${indent}rect rgb(255, 228, 225)`,
      ...b.items.flatMap((x) => lines(x, `${indent}  `)),
      `${indent}  Note over ${id(b.over)}: ${esc(b.text)}`,
      `${indent}end`,
    ])
    .exhaustive();
}

export function mermaidText(d: SequenceDiagram): string {
  return [
    'sequenceDiagram',
    ...d.participants.map((p) => `  participant ${id(p.id)} as ${esc(p.label)}`),
    ...d.items.flatMap((i) => lines(i, '  ')),
  ].join('\n');
}
