// Which GPU mappings an MMU_NOTIFY_MIGRATE invalidation of our own may keep (seed 004: the
// notifier skips what a migration leaves in place). A migration announces itself (svmState
// intents) before migrate_vma_setup; when several of ours overlap the invalidated span (a CPU
// fault's migrate_to_ram moving a page alone while a GPU fault's migration of the window runs),
// the invalidation cannot tell whose it is, so a mapping is kept only if every one of them keeps it.
import { isDevicePage } from '../../model/mem.js';
import type { State } from '../../model/types.js';
import { svmState } from './svmState.js';

/** The keep test for an invalidation of pid's [start, end) (event, owner as the notifier got them), or undefined: zap all. */
export function ownMigrationKeep(
  s: State,
  event: string,
  owner: number,
  pid: number,
  start: number,
  end: number,
): ((vpn: number, page: number) => boolean) | undefined {
  if (event !== 'migrate') return undefined;
  const mine = svmState(s).intents.filter(
    (x) => x.owner === owner && x.pid === pid && x.start < end && start < x.end,
  );
  if (mine.length === 0) return undefined;
  // Our own migration moves only system pages (to VRAM) or pages of its owner (to RAM).
  return (_vpn, page) =>
    mine.every((x) =>
      x.toDev ? isDevicePage(s, page) : !isDevicePage(s, page) || s.phys[page]?.owner !== x.owner,
    );
}
