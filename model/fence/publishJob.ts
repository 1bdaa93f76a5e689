// Command submission's last step: the job and its fence become visible (drm_sched_entity_push_job)
// and the activity that runs the job (scheduler, engine, completion) starts.
import { spawn } from '../engine.js';
import { count, emit, type Env } from '../proc.js';
import type { EngineKind, FenceKind, Job, JobWork } from './types.js';
import { SYNC, mut } from '../touched.js';

export interface JobSpec {
  gpu: number;
  engine: EngineKind;
  kind: FenceKind;
  reserved: boolean;
  deps: number[];
  work: JobWork;
  user: boolean;
  bo: number;
}

export function publishJob(env: Env, spec: JobSpec): Job {
  const sync = env.s.sync;
  const id = sync.jobs.length;
  const fence = sync.fences.length;
  const pendingHmmDeps = spec.deps.filter((d) => {
    const f = sync.fences[d];
    return !!f && f.kind === 'hmm' && !f.signaled;
  });
  const act = spawn(env.s, `gpu${spec.gpu} ${spec.engine} job ${id}`, -1, 'gpu_job', { job: id });
  const job: Job = {
    id,
    gpu: spec.gpu,
    engine: spec.engine,
    reserved: spec.reserved,
    fence,
    deps: [...spec.deps],
    work: spec.work,
    user: spec.user,
    bo: spec.bo,
    act: act.id,
  };
  mut(SYNC, sync.jobs).push(job);
  mut(SYNC, sync.fences).push({ id: fence, kind: spec.kind, job: id, signaled: false, ready: -1 });
  emit(env, {
    e: 'job-submit',
    job: id,
    fence,
    kind: spec.kind,
    gpu: spec.gpu,
    engine: spec.engine,
    reserved: spec.reserved,
    deps: [...spec.deps],
    pendingHmmDeps,
    work: spec.work.k,
    user: spec.user,
  });
  if (spec.user) count(env, `job submitted with ${spec.kind === 'dma' ? 'a dma_fence' : 'an hmm_fence'}`);
  return job;
}
