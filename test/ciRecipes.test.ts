// The README's CI recipes, parsed out of it as YAML: current action majors (the Node 24 runtimes;
// GitHub removes Node 20 from its runners), the Node version package.json's engines accepts, a
// JUnit reporter fed the file svmcheck writes, and a timeout longer than the --time budget.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const readme = readFileSync('README.md', 'utf8');
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1] as string) as unknown);
const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines
  .node;

/** The oldest major of each action whose runtime is Node 24; an action not listed fails the test. */
const NODE24_MAJOR: Record<string, number> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'actions/upload-artifact': 6,
  'actions/download-artifact': 7,
  'actions/cache': 5,
  'mikepenz/action-junit-report': 6,
  'dorny/test-reporter': 3,
};

/** Whether engines (e.g. "^20.19.0 || ^22.13.0 || >=24") accepts the latest release of a major. */
function enginesAccept(major: number): boolean {
  return engines.split('||').some((r) => {
    const t = r.trim();
    const caret = /^\^(\d+)\./.exec(t);
    if (caret) return Number(caret[1]) === major;
    const ge = /^>=\s*(\d+)/.exec(t);
    return ge ? major >= Number(ge[1]) : false;
  });
}

/** The --time budget (seconds) and the --junit file of an svmcheck command line. */
function svmcheckFlags(cmd: string): { time: number; junit: string } {
  const time = Number(/--time (\d+)/.exec(cmd)?.[1]);
  const junit = /--junit (\S+)/.exec(cmd)?.[1] ?? '';
  expect(time, cmd).toBeGreaterThan(0);
  expect(junit, cmd).not.toBe('');
  return { time, junit };
}

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

describe("the README's CI recipes", () => {
  const github = blocks.find((b) => (b as { jobs?: unknown }).jobs) as
    | {
        permissions?: Record<string, string>;
        jobs: Record<string, { 'timeout-minutes'?: number; steps: Step[] }>;
      }
    | undefined;
  const gitlab = blocks.find((b) => (b as { svmcheck?: { script?: unknown } }).svmcheck?.script) as
    | {
        svmcheck: {
          image: string;
          timeout?: string;
          script: string[];
          artifacts: { reports: { junit: string } };
        };
      }
    | undefined;

  it('both are there and parse', () => {
    expect(github).toBeDefined();
    expect(gitlab).toBeDefined();
  });

  it('GitHub Actions: Node 24 action majors, a supported Node, a JUnit reporter, a timeout past the budget', () => {
    for (const [name, job] of Object.entries(github?.jobs ?? {})) {
      for (const step of job.steps.filter((s) => s.uses)) {
        const [action, ref] = (step.uses as string).split('@');
        const oldest = NODE24_MAJOR[action as string];
        expect(
          oldest,
          `${name}: ${step.uses} is not a known action; add its first Node 24 major`,
        ).toBeDefined();
        expect(Number(/^v(\d+)/.exec(ref ?? '')?.[1]), `${step.uses}`).toBeGreaterThanOrEqual(
          oldest as number,
        );
      }
      const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(enginesAccept(Number(node?.with?.['node-version'])), `node-version vs engines ${engines}`).toBe(
        true,
      );
      const run = job.steps.find((s) => s.run?.includes('npx svmcheck run'))?.run ?? '';
      const { time, junit } = svmcheckFlags(run);
      const reporter = job.steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report@'));
      expect(reporter?.with?.['report_paths']).toBe(junit);
      expect(github?.permissions?.['checks']).toBe('write');
      const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
      expect(String(upload?.with?.['path'])).toContain('counterexamples/');
      expect(job['timeout-minutes'], 'timeout-minutes').toBeGreaterThanOrEqual(Math.ceil(time / 60) + 5);
    }
  });

  it('GitLab CI: a supported Node image, the JUnit report, a timeout past the budget', () => {
    const job = gitlab?.svmcheck;
    const major = Number(/^node:(\d+)/.exec(job?.image ?? '')?.[1]);
    expect(enginesAccept(major), `${job?.image} vs engines ${engines}`).toBe(true);
    const { time, junit } = svmcheckFlags((job?.script ?? []).join(' '));
    expect(job?.artifacts.reports.junit).toBe(junit);
    const minutes = Number(/^(\d+) minutes?$/.exec(job?.timeout ?? '')?.[1]);
    expect(minutes, 'timeout').toBeGreaterThanOrEqual(Math.ceil(time / 60) + 5);
  });

  it('engines checks are real: Node 18 is refused, 20 and 24 accepted', () => {
    expect(enginesAccept(18)).toBe(false);
    expect(enginesAccept(20)).toBe(true);
    expect(enginesAccept(24)).toBe(true);
  });
});
