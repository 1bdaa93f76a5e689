// Shrinking keeps the interleaving: when minimize() drops an operation it replays the rest picking,
// at every choice, the activity that ran at that point before (kernel work included, which it once
// replaced by candidate 0), and the schedule it records reproduces exactly that activity sequence.
// Checked on every archived counterexample of the catalog, dropping each operation in turn.
import { describe, expect, it } from 'vitest';
import { execute, SPAWNED_ORDER } from '../check/execute.js';
import { dropKeepingInterleaving, keepPick } from '../check/minimize.js';
import { listArchive } from '../archive/listArchive.js';
import { builtinDriver } from '../drivers/builtins.js';

const cases = listArchive('counterexamples').cases.filter((c) => builtinDriver(c.cx.driver.name)?.broken);

describe('minimize keeps which activity each choice picks', () => {
  it('covers the catalog', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  for (const c of cases)
    it(`${c.cx.driver.name}: every single-operation drop replays the activity sequence it was built from`, () => {
      const d = builtinDriver(c.cx.driver.name);
      if (!d) throw new Error(c.cx.driver.name);
      const p = c.cx.program;
      const order = execute(d, p, { trace: true }).trace.map((t) => t.op);
      for (let i = 0; i < p.ops.length; i++) {
        const want = order.filter((op) => op !== i).map((op) => (op > i ? op - 1 : op));
        // The run that built the schedule: at each choice, the wanted activity when it can run.
        const q0 = { ...p, ops: p.ops.filter((_, j) => j !== i), schedule: [] };
        const picked: string[] = [];
        const built = execute(d, q0, {
          trace: true,
          pick: (cands, step) => {
            const k = keepPick(cands, want[step]);
            const w = want[step];
            const present =
              w === undefined ? false : w < 0 ? cands.some((x) => x >= SPAWNED_ORDER) : cands.includes(w);
            if (present)
              picked.push(
                `${step}:${w === undefined || w < 0 ? 'kernel' : w}=${(cands[k] as number) >= SPAWNED_ORDER ? 'kernel' : cands[k]}`,
              );
            return k;
          },
        });
        for (const x of picked)
          expect(x.split('=')[1], `${x} (op ${i} dropped)`).toBe(x.split('=')[0]?.split(':')[1]);
        // The recorded schedule reproduces the same activity sequence.
        const q = dropKeepingInterleaving(d, p, i, order, {});
        const again = execute(d, q, { trace: true });
        expect(again.trace.map((t) => `${t.agent}/${t.op}`)).toEqual(
          built.trace.map((t) => `${t.agent}/${t.op}`),
        );
      }
    });
});
