// Word wrapping for the mailing-list text: every line at most `width` columns, continuation lines
// indented; a word longer than a line is cut (a path or hash never overflows).

export function wrapText(text: string, width: number, indent = '', first = ''): string[] {
  const out: string[] = [];
  let line = first;
  let fresh = true;
  const room = (): number => width - line.length;
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width - indent.length) {
      if (!fresh) {
        out.push(line);
        line = indent;
      }
      const take = width - line.length;
      out.push(line + word.slice(0, take));
      word = word.slice(take);
      line = indent;
      fresh = true;
    }
    if (!fresh && word.length + 1 > room()) {
      out.push(line);
      line = indent;
      fresh = true;
    }
    line += fresh ? word : ` ${word}`;
    fresh = false;
  }
  if (!fresh || out.length === 0) out.push(line);
  return out;
}
