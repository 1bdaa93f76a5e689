// Problems are data where they are found and words only in report/ (issue 17 item 6): properties/
// builds no user-facing text, every built-in invariant has its words in report/findingWords/, and
// an archived case's finding alone renders the words a replay of it renders today (and, but for
// the cases listed, the words it was archived with).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseCounterexample } from '../archive/parseCounterexample.js';
import { execute } from '../check/execute.js';
import { builtinDriver } from '../drivers/builtins.js';
import { INVARIANTS, RUN_FAILURES } from '../properties/catalog.js';
import { FINDING_WORDS } from '../report/findingWords/index.js';
import { problemWords } from '../report/problemWords.js';
import { recordedWords } from '../report/recordedWords.js';

const ROOT = join(import.meta.dirname, '..');

/** Files of properties/ still allowed to word their findings (none: list one only while converting it). */
const NOT_YET_CONVERTED: readonly string[] = [];

/** Cases archived with words older than today's rendering of their finding, kept as archived. */
const ARCHIVED_WITH_OLDER_WORDS: Readonly<Record<string, string>> = {
  'kernel-swap-without-ref-b556e803037c.json':
    "archived when a KernelBug's expected was 'no refcount underflow'; today it is the invariant's meaning",
  'mirror-free-on-unmap-91ef4a132db5.json':
    "archived when a KernelBug's expected was 'no refcount underflow'; today it is the invariant's meaning",
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith('.ts') ? [p] : [];
  });
}

const WORD_FIELDS = new Set(['expected', 'actual', 'message']);
const RUN_FAILURE_IDS: readonly string[] = Object.keys(RUN_FAILURES);

/** Where a file builds text for people: templates, string concatenation, joins, JSON text, word fields, report/ imports. */
function wordSites(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const at = (n: ts.Node, what: string): void => {
    const { line } = src.getLineAndCharacterOfPosition(n.getStart(src));
    out.push(`${relative(ROOT, file)}:${line + 1}: ${what}`);
  };
  const isText = (n: ts.Node): boolean => ts.isStringLiteral(n) || ts.isTemplateLiteral(n);
  const visit = (n: ts.Node): void => {
    if (ts.isTemplateExpression(n) || ts.isNoSubstitutionTemplateLiteral(n)) at(n, 'template string');
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.PlusToken &&
      (isText(n.left) || isText(n.right))
    )
      at(n, 'string concatenation');
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const name = n.expression.name.text;
      if (name === 'join' && n.arguments.length > 0) at(n, 'join() into text');
      if (name === 'stringify' && n.expression.expression.getText(src) === 'JSON') at(n, 'JSON text');
    }
    if ((ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) && ts.isIdentifier(n.name)) {
      if (WORD_FIELDS.has(n.name.text) && ts.isObjectLiteralExpression(n.parent))
        at(n, `'${n.name.text}' field`);
    }
    if (
      ts.isImportDeclaration(n) &&
      ts.isStringLiteral(n.moduleSpecifier) &&
      /\/report\//.test(n.moduleSpecifier.text)
    )
      at(n, 'import from report/');
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

describe('properties/ detects and returns data; report/ words it', () => {
  const files = tsFiles(join(ROOT, 'properties'));

  it('no file of properties/ builds user-facing words', () => {
    const sites = files.filter((f) => !NOT_YET_CONVERTED.includes(relative(ROOT, f))).flatMap(wordSites);
    expect(sites).toEqual([]);
  });

  it('the scan sees words: a file that builds them is caught', () => {
    const probe = join(ROOT, 'test/fixtures/extInvariant.ts');
    expect(wordSites(probe).some((s) => s.includes("'expected' field"))).toBe(true);
  });

  it('each file still listed as not converted really still words its findings', () => {
    for (const f of NOT_YET_CONVERTED) expect(wordSites(join(ROOT, f)), f).not.toEqual([]);
  });

  it('every built-in invariant has its words in the message map', () => {
    expect(INVARIANTS.map((i) => i.id).filter((id) => !Object.hasOwn(FINDING_WORDS, id))).toEqual([]);
  });
});

/** KernelBug / KernelOops raised with words (the user API's 'custom' form) instead of a coded finding. */
function wordedKernelFailures(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression)) {
      const found =
        n.expression.text === 'KernelBug'
          ? n.arguments?.[2]
          : n.expression.text === 'KernelOops'
            ? n.arguments?.[1]
            : undefined;
      if (found && !ts.isObjectLiteralExpression(found) && !ts.isIdentifier(found)) {
        const { line } = src.getLineAndCharacterOfPosition(n.getStart(src));
        out.push(`${relative(ROOT, file)}:${line + 1}`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

describe("svmcheck's own model and drivers raise coded kernel failures", () => {
  it('no KernelBug or KernelOops of model/ or drivers/ carries a message instead of a code', () => {
    const files = [...tsFiles(join(ROOT, 'model')), ...tsFiles(join(ROOT, 'drivers'))];
    expect(files.flatMap(wordedKernelFailures)).toEqual([]);
  });

  it('the scan sees a worded one', () => {
    const probe = join(ROOT, 'test/fixtures/wordedKernelBug.ts');
    expect(wordedKernelFailures(probe)).toEqual(['test/fixtures/wordedKernelBug.ts:6']);
  });
});

describe('archived findings', () => {
  const dir = join(ROOT, 'counterexamples');
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => ({ f, cx: parseCounterexample(f, JSON.parse(readFileSync(join(dir, f), 'utf8'))) }));

  it('a case breaking an invariant or a predicted kernel failure records its finding', () => {
    const withWords = cases.filter(({ cx }) => cx.status !== 'fixed' && !cx.violation.finding);
    // The runner's own failures (deadlock, livelock, lockup, lockdep) carry their evidence as a
    // witness instead (report/runFailureWords.ts words it).
    for (const { f, cx } of withWords) expect(RUN_FAILURE_IDS, f).toContain(cx.violation.invariant);
  });

  it("a runner failure's evidence alone renders the words it was archived with", () => {
    let rendered = 0;
    for (const { f, cx } of cases) {
      const driver = builtinDriver(cx.driver.name);
      if (!RUN_FAILURE_IDS.includes(cx.violation.invariant) || cx.status === 'fixed' || !driver) continue;
      if (cx.driver.module) continue;
      // Traced, as replay runs it: a lasso is then watched for from step 0 (check/execute.ts).
      const v = execute(driver, cx.program, { trace: true }).violation;
      if (!v) throw new Error(`${f}: no longer fails`);
      expect(v, f).not.toHaveProperty('message');
      const { expected, actual, message } = cx.violation;
      expect(problemWords(v), f).toEqual({ expected, actual, message });
      rendered++;
    }
    expect(rendered).toBeGreaterThan(5);
  });

  it("a finding alone renders the words a replay renders today, and the case's archived words", () => {
    let rendered = 0;
    for (const { f, cx } of cases) {
      const words = recordedWords(cx.violation);
      const driver = builtinDriver(cx.driver.name);
      if (!words || !driver || cx.driver.module) continue;
      const v = execute(driver, cx.program).violation;
      expect(v?.invariant, f).toBe(cx.violation.invariant);
      if (v) expect(words, f).toEqual(problemWords(v));
      const archived = {
        expected: cx.violation.expected,
        actual: cx.violation.actual,
        message: cx.violation.message,
      };
      if (!(f in ARCHIVED_WITH_OLDER_WORDS)) expect(words, f).toEqual(archived);
      else expect(words, f).not.toEqual(archived);
      rendered++;
    }
    expect(rendered).toBeGreaterThan(30);
  });
});
