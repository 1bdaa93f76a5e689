// Reads a programs file in the runner's line protocol back into programs (the inverse of
// formatPrograms), so that hand-written files such as kernel/offbyone.programs run on the model.
// `mmap` (kernel-placed) is read as mmap_at at a page chosen per slot, far from the other slots.
// Problems are reported with the line number.
import { ProgramSchema, type ConfProgram } from './program.js';

export class ProgramsFileError extends Error {
  override name = 'ProgramsFileError';
}

const num = (t: string | undefined): number => {
  if (t === undefined || !/^-?(0x[0-9a-f]+|\d+)$/i.test(t)) return NaN;
  return t.startsWith('-') ? -Number(t.slice(1)) : Number(t);
};

/** Where a kernel-placed `mmap` of a slot goes in the model: 256 pages apart, page 0 of its own pmd half. */
export const mmapSlotPage = (slot: number): number => 64 + slot * 256;

export function parsePrograms(where: string, text: string): ConfProgram[] {
  const out: ConfProgram[] = [];
  let cur: { id: number; steps: unknown[] } | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const tok = raw.trim().split(/\s+/).filter(Boolean);
    if (!tok.length || tok[0]?.startsWith('#')) return;
    const bad = (msg: string): never => {
      throw new ProgramsFileError(`${where}:${line}: ${msg}`);
    };
    const [op, ...a] = tok as [string, ...string[]];
    if (op === 'program') {
      if (cur) bad("'program' inside a program");
      cur = { id: num(a[0]), steps: [] };
      return;
    }
    if (op === 'end') {
      if (!cur) bad("'end' outside a program");
      const r = ProgramSchema.safeParse(cur);
      if (!r.success) bad(`program ${String(cur?.id)}: ${r.error.issues[0]?.message ?? 'invalid'}`);
      else out.push(r.data);
      cur = null;
      return;
    }
    if (!cur) bad('step outside a program');
    const steps = (cur as { steps: unknown[] }).steps;
    const n = a.map(num);
    const range = { slot: n[0], pageoff: n[1], npages: n[2] };
    const dmRange = { dev: n[0], slot: n[1], pageoff: n[2], npages: n[3] };
    switch (op) {
      case 'mmap':
        steps.push({
          op: 'mmap_at',
          slot: n[0],
          page: mmapSlotPage(n[0] ?? 0),
          npages: n[1],
          prot: a[2],
          shared: a[3] === '1',
        });
        break;
      case 'mmap_at':
        steps.push({ op, slot: n[0], page: n[1], npages: n[2], prot: a[3], shared: a[4] === '1' });
        break;
      case 'munmap':
      case 'madvise_dontneed':
        steps.push({ op, ...range });
        break;
      case 'mprotect':
        steps.push({ op, ...range, prot: a[3] });
        break;
      case 'write':
        steps.push({ op, slot: n[0], pageoff: n[1], value: n[2] });
        break;
      case 'read':
        steps.push({ op, slot: n[0], pageoff: n[1] });
        break;
      case 'fork':
        steps.push({ op });
        break;
      case 'dm_write':
        steps.push({ op, ...dmRange, value: n[4] });
        break;
      case 'dm_release':
      case 'dm_close':
        steps.push({ op, dev: n[0] });
        break;
      default:
        if (!op.startsWith('dm_')) bad(`unknown step '${op}'`);
        steps.push({ op, ...dmRange });
    }
  });
  if (cur) throw new ProgramsFileError(`${where}: missing 'end' at end of file`);
  return out;
}
