// Operations and events in words a kernel engineer reads without a legend.
import { match } from 'ts-pattern';
import type { Event } from '../model/events.js';
import type { Op } from '../model/ops.js';
import type { Config } from '../model/types.js';
import { describeReport, locName } from './pageWords.js';

const proc = (i: number): string => (i === 0 ? '' : ` of live process #${i}`);
const vma = (i: number): string => `VMA #${i}`;

const errno = (e: string): string => (e === '0' ? '0' : `-${e}`);
const fence = (k: 'dma' | 'hmm'): string => (k === 'dma' ? 'dma_fence' : 'hmm_fence');

function describeAttr(a: { t: string; v: number }): string {
  if (a.t === 'preferred' || a.t === 'prefetch') return `${a.t}_loc=${locName(a.v)}`;
  if (a.t === 'access') return `access(gpu${a.v})`;
  if (a.t === 'aip') return `access_in_place(gpu${a.v})`;
  if (a.t === 'noaccess') return `no_access(gpu${a.v})`;
  if (a.t === 'gran') return `granularity=${a.v}`;
  return `${a.t}=0x${a.v.toString(16)}`;
}

export function describeOp(op: Op, cfg: Config): string {
  const gpu = (g: number): string => `gpu${g % cfg.gpus.length}`;
  return match(op)
    .with(
      { op: 'mmap' },
      (o) =>
        `mmap(${o.pages} page${o.pages > 1 ? 's' : ''}, ${o.prot}, ${o.shared ? 'MAP_SHARED' : 'MAP_PRIVATE'}|MAP_ANONYMOUS)${proc(o.proc)}`,
    )
    .with(
      { op: 'munmap' },
      (o) => `munmap(${vma(o.vma)}${proc(o.proc)} + ${o.off}, ${o.len} page${o.len > 1 ? 's' : ''})`,
    )
    .with(
      { op: 'mprotect' },
      (o) => `mprotect(${vma(o.vma)}${proc(o.proc)} + ${o.off}, ${o.len} pages, ${o.prot})`,
    )
    .with(
      { op: 'madvise_dontneed' },
      (o) => `madvise(${vma(o.vma)}${proc(o.proc)} + ${o.off}, ${o.len} pages, MADV_DONTNEED)`,
    )
    .with({ op: 'fork' }, (o) => `fork()${proc(o.proc)}`)
    .with({ op: 'exit' }, (o) => `exit()${proc(o.proc)}`)
    .with({ op: 'cpu_read' }, (o) => `CPU read ${vma(o.vma)}${proc(o.proc)} page ${o.off}`)
    .with({ op: 'cpu_write' }, (o) => `CPU write ${vma(o.vma)}${proc(o.proc)} page ${o.off}`)
    .with({ op: 'gpu_read' }, (o) => `${gpu(o.gpu)} read ${vma(o.vma)}${proc(o.proc)} page ${o.off}`)
    .with({ op: 'gpu_write' }, (o) => `${gpu(o.gpu)} write ${vma(o.vma)}${proc(o.proc)} page ${o.off}`)
    .with({ op: 'gpu_atomic' }, (o) => `${gpu(o.gpu)} atomic ${vma(o.vma)}${proc(o.proc)} page ${o.off}`)
    .with(
      { op: 'svm_set_attr' },
      (o) =>
        `SVM set_attr(${vma(o.vma)}${proc(o.proc)} + ${o.off}, ${o.len} pages: ${o.attrs.map(describeAttr).join(', ')})`,
    )
    .with(
      { op: 'svm_get_attr' },
      (o) => `SVM get_attr(${vma(o.vma)}${proc(o.proc)} + ${o.off}, ${o.len} pages)`,
    )
    .with(
      { op: 'gpuvm_map' },
      (o) => `map a userptr BO into the GPU VM over ${vma(o.vma)}${proc(o.proc)} + ${o.off}, ${o.len} pages`,
    )
    .with(
      { op: 'migrate' },
      (o) =>
        `migrate ${vma(o.vma)}${proc(o.proc)} + ${o.off}, ${o.len} pages to ${o.to === 'dev' ? `${gpu(o.gpu)} VRAM` : 'system memory'} (${gpu(o.gpu)} driver)`,
    )
    .with({ op: 'submit' }, (o) => {
      const what = o.svm
        ? `${o.write ? 'writes' : 'reads'} ${vma(o.vma)}${proc(o.proc)} page ${o.off} (SVM: may fault)`
        : 'touches no SVM memory';
      const bo = o.bo >= 0 ? `, renders into BO #${o.bo}` : '';
      const dep = o.dep > 0 ? `, after the fence of submission -${o.dep}` : '';
      return `submit a job to ${gpu(o.gpu)} ${o.engine} that ${what}${bo}${dep}`;
    })
    .with(
      { op: 'fence_wait' },
      (o) =>
        `wait for the fence of ${o.fence === 0 ? 'the latest submission' : `submission -${o.fence + 1}`}`,
    )
    .with({ op: 'reclaim' }, (o) => `allocate under memory pressure: direct reclaim${proc(o.proc)}`)
    .with({ op: 'device_unbind' }, (o) => `unbind the driver from ${gpu(o.gpu)}: tear its device memory down`)
    .exhaustive();
}

export function describeEvent(e: Event): string {
  return match(e)
    .with(
      { e: 'cpu-read' },
      (x) =>
        `CPU read pid ${x.pid} page ${x.vpn} = ${x.v}${x.want >= 0 && x.want !== x.v ? ` (last written: ${x.want})` : ''}`,
    )
    .with({ e: 'cpu-write' }, (x) => `CPU wrote ${x.v} to pid ${x.pid} page ${x.vpn}`)
    .with(
      { e: 'gpu-read' },
      (x) =>
        `gpu${x.gpu} read pid ${x.pid} page ${x.vpn} = ${x.v} via phys ${x.page}${x.want >= 0 && x.want !== x.v ? ` (last written: ${x.want})` : ''}`,
    )
    .with(
      { e: 'gpu-write' },
      (x) => `gpu${x.gpu} wrote ${x.v} to pid ${x.pid} page ${x.vpn} via phys ${x.page}`,
    )
    .with({ e: 'sigsegv' }, (x) => `SIGSEGV: pid ${x.pid} ${x.write ? 'write' : 'read'} at page ${x.vpn}`)
    .with(
      { e: 'gpu-fault' },
      (x) => `gpu${x.gpu} page fault (${x.write ? 'write' : 'read'}) pid ${x.pid} page ${x.vpn}`,
    )
    .with(
      { e: 'gpu-error' },
      (x) => `gpu${x.gpu} fault on pid ${x.pid} page ${x.vpn} not resolved: -${x.err}`,
    )
    .with(
      { e: 'gpu-map' },
      (x) => `gpu${x.gpu} PTE pid ${x.pid} page ${x.vpn} -> phys ${x.page}${x.w ? ' rw' : ' ro'}`,
    )
    .with(
      { e: 'gpu-zap' },
      (x) => `gpu${x.gpu} zapped ${x.n} PTE${x.n > 1 ? 's' : ''} of pid ${x.pid} in [${x.start}, ${x.end})`,
    )
    .with(
      { e: 'notify' },
      (x) =>
        `mmu notifier ${x.event.toUpperCase()} pid ${x.pid} [${x.start}, ${x.end})${x.owner >= 0 ? ` owner ${x.owner}` : ''}`,
    )
    .with(
      { e: 'hmm' },
      (x) =>
        `hmm_range_fault(pid ${x.pid} [${x.start}, ${x.start + x.n})) = ${x.err === '0' ? '0' : `-${x.err}`}`,
    )
    .with(
      { e: 'migrate' },
      (x) =>
        `migrate_vma to ${x.to} pid ${x.pid} [${x.start}, ${x.start + x.n}): collected ${x.cpages}, migrated ${x.done}`,
    )
    .with({ e: 'syscall' }, (x) =>
      x.err === 'SKIP'
        ? `${x.op}: skipped (${x.detail})`
        : `${x.op}${x.detail ? ` ${x.detail}` : ''} = ${x.err === '0' ? '0' : `-${x.err}`}`,
    )
    .with({ e: 'retry' }, (x) => `gpu${x.gpu} retries pid ${x.pid}: ${x.why}`)
    .with(
      { e: 'svm-set-attr' },
      (x) =>
        `set_attr pid ${x.pid} [${x.start}, ${x.end}) = ${errno(x.err)}${x.applied ? '' : ' (nothing applied)'}${x.changed ? ' but the range list changed' : ''}`,
    )
    .with(
      { e: 'svm-get-attr' },
      (x) =>
        `get_attr pid ${x.pid} [${x.start}, ${x.end}) = ${errno(x.err)}${x.got ? ` ${describeReport(x.got)}` : ''}`,
    )
    .with(
      { e: 'svm-window' },
      (x) =>
        `migration window [${x.start}, ${x.last}] of range [${x.rangeStart}, ${x.rangeLast}] (pid ${x.pid})`,
    )
    .with({ e: 'svm-range' }, (x) => `svm_range [${x.start}, ${x.last}] of pid ${x.pid}: ${x.what}`)
    .with(
      { e: 'job-submit' },
      (x) =>
        `${x.user ? '' : 'kernel '}job ${x.job} on gpu${x.gpu} ${x.engine}${x.reserved ? ' (reserved resources)' : ''} (${x.work}) with ${fence(x.kind)} ${x.fence}${x.deps.length ? ` after fence ${x.deps.join(', ')}` : ''}`,
    )
    .with(
      { e: 'fence-wait' },
      (x) =>
        `${x.signaled ? 'might wait' : 'waits'} on ${fence(x.kind)} ${x.fence} (${x.why})${x.held.length ? ` holding ${x.held.join(', ')}` : ''}`,
    )
    .with({ e: 'fence-signal' }, (x) => `${fence(x.kind)} ${x.fence} signalled (job ${x.job} done)`)
    .with(
      { e: 'resv-lock' },
      (x) =>
        `dma_resv_${x.trylock ? 'trylock' : 'lock'}(${x.name.slice('dma_resv:'.length)})${x.held.length ? ` holding ${x.held.join(', ')}` : ''}`,
    )
    .with(
      { e: 'alloc' },
      (x) => `allocates ${x.what} (${x.gfp})${x.held.length ? ` holding ${x.held.join(', ')}` : ''}`,
    )
    .with(
      { e: 'bo-evict' },
      (x) =>
        `${x.by === 'shrinker' ? 'shrinker releases the backing of' : x.by === 'release' ? 'delayed destroy frees' : 'eviction moves'} BO ${x.bo} (gpu${x.gpu} VRAM)${x.waited ? ` after waiting for ${x.waited} fence${x.waited > 1 ? 's' : ''}` : ''}`,
    )
    .with({ e: 'warn' }, (x) => `kernel WARNING at ${x.at}: ${x.why}`)
    .with({ e: 'queues' }, (x) =>
      x.what === 'quiesce'
        ? `kgd2kfd_quiesce_mm: pid ${x.pid}'s GPU queues evicted (count ${x.evicted})`
        : `kgd2kfd_resume_mm: pid ${x.pid}'s GPU queues ${x.evicted ? `still evicted (count ${x.evicted})` : 'running again'}`,
    )
    .exhaustive();
}
