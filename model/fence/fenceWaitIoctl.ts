// An explicit wait from user space (a sync_file / syncobj wait ioctl): dma_fence_wait() holding
// nothing, which is always allowed.
import { count, defineProc, goto, ret } from '../proc.js';
import { fenceBlock, waitFence } from './waitFence.js';

export const fenceWaitIoctl = defineProc<{ fence: number }>('fence_wait_ioctl', {
  start(env, l) {
    if (waitFence(env, l.fence, 'explicit', 'explicit wait from user space'))
      count(env, 'explicit fence wait slept');
    return goto('sleep');
  },
  sleep(env, l) {
    return fenceBlock(env.s, l.fence) ?? ret(0);
  },
});
