/**
 * Which local files `/import PATH` may read: only regular files under the player's home or the
 * data dir's `imports/` folder (or `exports/`, so Flower's own exports import back), after resolving `~`, relative parts and symlinks, and at most
 * `MAX_IMPORT_BYTES`. Anything else is refused with what is wrong.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export type ReadImport = { ok: true; path: string; bytes: Uint8Array } | { ok: false; problem: string };

export interface ImportRoots {
  dataDir: string;
  /** `null`: the home folder is not offered (players on a shared engine other than its owner). */
  homeDir?: string | null | undefined;
}

export const importsDir = (dataDir: string): string => join(dataDir, 'imports');
const exportsDir = (dataDir: string): string => join(dataDir, 'exports');

const inside = (root: string, path: string): boolean => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

const realOrUndefined = (path: string): string | undefined => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

export function readImportFile(input: string, roots: ImportRoots, maxBytes = MAX_IMPORT_BYTES): ReadImport {
  const home = roots.homeDir === null ? undefined : (roots.homeDir ?? homedir());
  const expanded = home === undefined ? input : input === '~' ? home : input.startsWith('~/') ? join(home, input.slice(2)) : input;
  // A relative path is taken inside the imports folder, never the engine's working directory.
  const wanted = isAbsolute(expanded) ? resolve(expanded) : resolve(importsDir(roots.dataDir), expanded);
  const permitted = [...(home === undefined ? [] : [home]), importsDir(roots.dataDir), exportsDir(roots.dataDir)];
  const allowedText =
    home === undefined
      ? `only files in ${importsDir(roots.dataDir)} can be imported on a shared engine`
      : `only files under your home (${home}) or ${importsDir(roots.dataDir)} can be imported`;
  const allowed = permitted.map(realOrUndefined).filter((root): root is string => root !== undefined);
  const real = realOrUndefined(wanted);
  if (!real) {
    if (!permitted.some((root) => inside(resolve(root), wanted))) return { ok: false, problem: `${wanted} is not allowed: ${allowedText}` };
    return { ok: false, problem: `file not found: ${wanted}` };
  }
  if (!allowed.some((root) => inside(root, real))) return { ok: false, problem: `${wanted} is not allowed: ${allowedText}` };
  const stats = statSync(real);
  if (!stats.isFile()) return { ok: false, problem: `${wanted} is not a file` };
  if (stats.size > maxBytes) {
    return { ok: false, problem: `${wanted} is too big: ${(stats.size / 1024 / 1024).toFixed(1)} MB, the limit is ${maxBytes / 1024 / 1024} MB` };
  }
  return { ok: true, path: real, bytes: readFileSync(real) };
}
