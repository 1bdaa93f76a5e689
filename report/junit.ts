// JUnit XML, as GitLab's test reports and GitHub's JUnit actions read it: one testcase per
// suite/driver, a failure carrying the text report.

export interface JunitCase {
  classname: string;
  name: string;
  seconds: number;
  failure?: { message: string; type: string; text: string };
}

/** XML 1.0 cannot carry most control characters at all, even escaped: they become '?'. */
function xmlChars(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    out += (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff ? '?' : ch;
  }
  return out;
}

function esc(s: string): string {
  return xmlChars(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function renderJunit(name: string, cases: readonly JunitCase[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const total = cases.reduce((a, c) => a + c.seconds, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${esc(name)}" tests="${cases.length}" failures="${failures}" errors="0" time="${total.toFixed(3)}">`,
    `  <testsuite name="${esc(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${total.toFixed(3)}">`,
  ];
  for (const c of cases) {
    const head = `    <testcase classname="${esc(c.classname)}" name="${esc(c.name)}" time="${c.seconds.toFixed(3)}"`;
    if (!c.failure) {
      out.push(`${head}/>`);
      continue;
    }
    out.push(`${head}>`);
    out.push(
      `      <failure message="${esc(c.failure.message)}" type="${esc(c.failure.type)}">${esc(c.failure.text)}</failure>`,
    );
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}
