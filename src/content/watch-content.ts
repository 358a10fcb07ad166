/**
 * Watches the assets folder and its content folders, one non-recursive watcher each (recursive
 * `fs.watch` is not dependable on Linux under Node 20). Events are debounced so an editor's
 * save (often several writes and a rename) becomes one `onChange`.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../engine/ports.ts';

export interface WatchContentOptions {
  assetsDir: string;
  folders: readonly string[];
  debounceMs: number;
  logger: Logger;
  onChange: () => void;
}

interface Watched {
  watcher: FSWatcher;
  /** A folder deleted and created again is a new inode that the old watcher no longer sees. */
  inode: number;
}

/** Starts watching; returns the stop function. */
export const watchContentFolders = (options: WatchContentOptions): (() => void) => {
  const { assetsDir, folders, debounceMs, logger, onChange } = options;
  const watched = new Map<string, Watched>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
    timer.unref();
  };

  const fire = () => {
    timer = undefined;
    if (stopped) return;
    // Folders may have appeared (or been replaced) since the last event.
    attach();
    try {
      onChange();
    } catch (error) {
      logger.error('content reload failed', { error: (error as Error).message });
    }
  };

  const attach = () => {
    for (const dir of [assetsDir, ...folders.map((folder) => join(assetsDir, folder))]) {
      const inode = inodeOf(dir);
      const current = watched.get(dir);
      if (current && current.inode === inode) continue;
      current?.watcher.close();
      watched.delete(dir);
      if (inode === undefined) continue;
      try {
        const watcher = watch(dir, { persistent: false }, schedule);
        watcher.on('error', (error) => {
          logger.warn('content folder watch failed; will retry on the next change', { dir, error: error.message });
          watcher.close();
          if (watched.get(dir)?.watcher === watcher) watched.delete(dir);
          schedule();
        });
        watched.set(dir, { watcher, inode });
      } catch (error) {
        logger.warn('could not watch content folder', { dir, error: (error as Error).message });
      }
    }
  };

  attach();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    for (const { watcher } of watched.values()) watcher.close();
    watched.clear();
  };
};

const inodeOf = (dir: string): number | undefined => {
  try {
    const stats = statSync(dir);
    return stats.isDirectory() ? stats.ino : undefined;
  } catch {
    return undefined;
  }
};
