// A source file's code as the driver identity hashes it: comments, blank space and trailing commas
// left out, string, template and regular-expression literals kept byte for byte. Rewording a
// comment or reformatting (prettier) then leaves a driver's hash alone; changing its code does not.
// A lexer, not a parser: enough to tell comments from literals in the TypeScript and JavaScript
// that drivers are written in.

const IDENT = /[A-Za-z0-9_$]/;

/** Whether a `/` at this point starts a regular expression rather than a division. */
function regexAllowed(prev: string): boolean {
  return (
    prev === '' || /[(,=:[!&|?{};+\-*%<>~^]$/.test(prev) || /\b(return|typeof|case|in|of|void)$/.test(prev)
  );
}

export function codeText(src: string): string {
  let out = '';
  let i = 0;
  let space = false;
  // Open template literals: the brace depth at which each `${` was entered.
  const templates: number[] = [];
  let depth = 0;
  const emit = (s: string): void => {
    if (space && IDENT.test(out.slice(-1)) && IDENT.test(s.charAt(0))) out += ' ';
    space = false;
    out += s;
  };
  const quoted = (q: string, from: number): number => {
    let j = from + 1;
    while (j < src.length && src[j] !== q) j += src[j] === '\\' ? 2 : 1;
    return j + 1;
  };
  const template = (from: number): number => {
    // From just after ` (or after a closing `}` of ${...}) to the end of the literal or the next ${.
    let j = from;
    while (j < src.length && src[j] !== '`' && !(src[j] === '$' && src[j + 1] === '{'))
      j += src[j] === '\\' ? 2 : 1;
    return j;
  };
  while (i < src.length) {
    const c = src[i] as string;
    const n = src[i + 1];
    if (/\s/.test(c)) {
      space = true;
      i++;
    } else if (c === '/' && n === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      space = true;
    } else if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
      space = true;
    } else if (c === "'" || c === '"') {
      const j = quoted(c, i);
      emit(src.slice(i, j));
      i = j;
    } else if (c === '`' || (c === '}' && templates.length && templates[templates.length - 1] === depth)) {
      if (c === '}') templates.pop();
      const j = template(i + 1);
      if (src[j] === '$') {
        templates.push(depth);
        emit(src.slice(i, j + 2));
        i = j + 2;
      } else {
        emit(src.slice(i, j + 1));
        i = j + 1;
      }
    } else if (c === '/' && regexAllowed(out)) {
      let j = i + 1;
      let cls = false;
      while (j < src.length && (cls || src[j] !== '/') && src[j] !== '\n') {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') cls = true;
        else if (src[j] === ']') cls = false;
        j++;
      }
      j++;
      while (j < src.length && /[a-z]/.test(src[j] as string)) j++;
      emit(src.slice(i, j));
      i = j;
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      // Layout that prettier adds and removes: a trailing comma, a type literal's last semicolon, a
      // union's leading bar.
      if ((c === ')' || c === ']' || c === '}') && out.endsWith(',')) out = out.slice(0, -1);
      if (c === '}' && out.endsWith(';')) out = out.slice(0, -1);
      if (c === '|' && n !== '|' && /[=(:<,]$/.test(out)) {
        i++;
        continue;
      }
      emit(c);
      i++;
    }
  }
  return out;
}
