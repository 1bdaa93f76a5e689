// JUnit XML, as GitLab's test reports and GitHub's JUnit actions read it: one testcase per
// driver and suite (classname svmcheck.DRIVER, name SUITE, for run and suites alike), a failure
// carrying the text report. The testsuite says when and where it ran (timestamp, hostname), each
// testcase which file to open (the archived case of a failure, else the driver's module).

export interface JunitCase {
  classname: string;
  name: string;
  seconds: number;
  /** Relative to the repository. */
  file?: string;
  failure?: { message: string; type: string; text: string };
}

export interface JunitRun {
  /** ISO 8601 start time, without milliseconds, as the JUnit schema's xs:dateTime. */
  timestamp: string;
  hostname: string;
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

export function renderJunit(name: string, cases: readonly JunitCase[], run: JunitRun): string {
  const failures = cases.filter((c) => c.failure).length;
  const total = cases.reduce((a, c) => a + c.seconds, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${esc(name)}" tests="${cases.length}" failures="${failures}" errors="0" time="${total.toFixed(3)}">`,
    `  <testsuite name="${esc(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${total.toFixed(3)}" timestamp="${esc(run.timestamp)}" hostname="${esc(run.hostname)}">`,
  ];
  for (const c of cases) {
    const file = c.file === undefined ? '' : ` file="${esc(c.file)}"`;
    const head = `    <testcase classname="${esc(c.classname)}" name="${esc(c.name)}"${file} time="${c.seconds.toFixed(3)}"`;
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
