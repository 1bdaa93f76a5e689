// Word wrapping for the mailing-list text: every line at most `width` columns, continuation lines
// indented; a word longer than a line is cut (a path or hash never overflows).

export function wrapText(text: string, width: number, indent = '', first = ''): string[] {
  if (indent.length >= width || first.length >= width)
    throw new Error(
      `wrapText: an indent of ${Math.max(indent.length, first.length)} leaves no room in ${width} columns`,
    );
  const out: string[] = [];
  let line = first;
  let empty = true;
  const flush = (): void => {
    out.push(line);
    line = indent;
    empty = true;
  };
  for (let word of text.split(/\s+/).filter(Boolean)) {
    for (;;) {
      const sep = empty ? '' : ' ';
      if (line.length + sep.length + word.length <= width) {
        line += sep + word;
        empty = false;
        break;
      }
      // A word that fits on a fresh line goes there; one that fits on none is cut.
      if (!empty || (line !== indent && indent.length + word.length <= width)) {
        flush();
        continue;
      }
      const take = width - line.length;
      out.push(line + word.slice(0, take));
      line = indent;
      word = word.slice(take);
      if (!word) break;
    }
  }
  if (!empty || out.length === 0) out.push(line);
  return out;
}
