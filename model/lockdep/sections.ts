// Entering and leaving a pseudo-lock section: the section sits in the activity's held list, so
// locks taken and fences waited on inside it record dependencies from it, and an activity that
// ends inside a section is a kernel BUG like one that ends holding a lock.
import type { Env } from '../proc.js';
import { recordDependency } from './recordDependency.js';
import { KernelOops } from '../kernelOops.js';

export function enterSection(env: Env, name: string): void {
  recordDependency(env, name, 'section');
  env.act.held.push(name);
}

export function leaveSection(env: Env, name: string): void {
  const held = env.act.held;
  const i = held.lastIndexOf(name);
  if (i < 0)
    throw new KernelOops('oops', {
      code: 'leave-section-not-in',
      at: { act: env.act.id },
      data: { agent: env.act.agent, section: name },
    });
  held.splice(i, 1);
}
