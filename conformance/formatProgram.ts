// Serializes programs into the runner's line protocol (conformance/kernel/README.md, "Runner line
// protocol"): one "program <id>" ... "end" block per program, one step per line.
import { match } from 'ts-pattern';
import type { ConfProgram, Step } from './program.js';

export function formatStep(st: Step): string {
  return match(st)
    .with({ op: 'mmap_at' }, (x) => `mmap_at ${x.slot} ${x.page} ${x.npages} ${x.prot} ${x.shared ? 1 : 0}`)
    .with({ op: 'munmap' }, { op: 'madvise_dontneed' }, (x) => `${x.op} ${x.slot} ${x.pageoff} ${x.npages}`)
    .with({ op: 'mprotect' }, (x) => `mprotect ${x.slot} ${x.pageoff} ${x.npages} ${x.prot}`)
    .with({ op: 'write' }, (x) => `write ${x.slot} ${x.pageoff} ${x.value}`)
    .with({ op: 'read' }, (x) => `read ${x.slot} ${x.pageoff}`)
    .with({ op: 'fork' }, () => 'fork')
    .with(
      { op: 'dm_read' },
      { op: 'dm_migrate_dev' },
      { op: 'dm_migrate_sys' },
      { op: 'dm_snapshot' },
      { op: 'dm_exclusive' },
      { op: 'dm_check_exclusive' },
      (x) => `${x.op} ${x.dev} ${x.slot} ${x.pageoff} ${x.npages}`,
    )
    .with({ op: 'dm_write' }, (x) => `dm_write ${x.dev} ${x.slot} ${x.pageoff} ${x.npages} ${x.value}`)
    .with({ op: 'dm_release' }, { op: 'dm_close' }, (x) => `${x.op} ${x.dev}`)
    .exhaustive();
}

export function formatPrograms(programs: readonly ConfProgram[]): string {
  const out: string[] = [];
  for (const p of programs) {
    out.push(`program ${p.id}`);
    for (const st of p.steps) out.push(formatStep(st));
    out.push('end');
  }
  return `${out.join('\n')}\n`;
}
