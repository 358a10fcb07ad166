/**
 * The files adapter of `/import` and `/export` (the engine's TransferFiles port). A player may
 * import only regular files under their home or the data dir's `imports/` folder (or `exports/`,
 * so Flower's own exports import back), after resolving `~`, relative parts and symlinks, and at
 * most `MAX_IMPORT_BYTES`. Exports go to `<data dir>/exports`, imported worlds to
 * `<data dir>/assets/worlds`, written so the content watcher never reads half a file.
 */
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import type { LoreEntry, World } from '../engine/content.ts';
import type { EntriesAdded, ImportRead, TransferFiles } from '../engine/ports.ts';
import { listYamlFiles } from './content-files.ts';
import { appendEntriesYaml, declaredWorldId, worldToYaml } from './world-yaml.ts';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export interface TransferFolders {
  dataDir: string;
  /** The owner's home folder; default: the user's home. */
  homeDir?: string | undefined;
}

export const importsDir = (dataDir: string): string => join(dataDir, 'imports');
const exportsDir = (dataDir: string): string => join(dataDir, 'exports');
export const worldsDir = (dataDir: string): string => join(dataDir, 'assets', 'worlds');

const YAML_FILE = /\.ya?ml$/i;

const inside = (root: string, path: string): boolean => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

const realOrUndefined = (path: string): string | undefined => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

export function createTransferFiles(folders: TransferFolders, maxImportBytes = MAX_IMPORT_BYTES): TransferFiles {
  const { dataDir } = folders;
  const worlds = worldsDir(dataDir);
  const assets = join(dataDir, 'assets');

  /** The YAML files of the worlds folder with the world id each declares (unreadable ones left out). */
  const worldFiles = (): Array<{ path: string; id: string }> =>
    listYamlFiles(assets, 'worlds').flatMap((relPath) => {
      const path = join(assets, relPath);
      const id = declaredWorldId(readText(path) ?? '');
      return id === undefined ? [] : [{ path, id }];
    });

  return {
    readImport(input, { guest }): ImportRead {
      const home = guest ? undefined : (folders.homeDir ?? homedir());
      const expanded = home === undefined ? input : input === '~' ? home : input.startsWith('~/') ? join(home, input.slice(2)) : input;
      // A relative path is taken inside the imports folder, never the engine's working directory.
      const wanted = isAbsolute(expanded) ? resolve(expanded) : resolve(importsDir(dataDir), expanded);
      const permitted = [...(home === undefined ? [] : [home]), importsDir(dataDir), exportsDir(dataDir)];
      const allowedText =
        home === undefined
          ? `only files in ${importsDir(dataDir)} can be imported on a shared engine`
          : `only files under your home (${home}) or ${importsDir(dataDir)} can be imported`;
      const allowed = permitted.map(realOrUndefined).filter((root): root is string => root !== undefined);
      const real = realOrUndefined(wanted);
      if (!real) {
        if (!permitted.some((root) => inside(resolve(root), wanted))) return { ok: false, problem: `${wanted} is not allowed: ${allowedText}` };
        return { ok: false, problem: `file not found: ${wanted}` };
      }
      if (!allowed.some((root) => inside(root, real))) return { ok: false, problem: `${wanted} is not allowed: ${allowedText}` };
      const stats = statSync(real);
      if (!stats.isFile()) return { ok: false, problem: `${wanted} is not a file` };
      if (stats.size > maxImportBytes) {
        const megabytes = (stats.size / 1024 / 1024).toFixed(1);
        return { ok: false, problem: `${wanted} is too big: ${megabytes} MB, the limit is ${maxImportBytes / 1024 / 1024} MB` };
      }
      return { ok: true, path: real, bytes: readFileSync(real) };
    },

    writeExport(fileName, text) {
      const dir = exportsDir(dataDir);
      mkdirSync(dir, { recursive: true });
      const path = join(dir, fileName);
      writeFileSync(path, text, { mode: 0o600 });
      return path;
    },

    takenWorldIds() {
      const taken = new Set(worldFiles().map((file) => file.id));
      for (const name of readdirOrEmpty(worlds)) if (YAML_FILE.test(name)) taken.add(name.replace(YAML_FILE, ''));
      return taken;
    },

    createWorld(world: World) {
      mkdirSync(worlds, { recursive: true });
      const path = join(worlds, `${world.id}.yaml`);
      writeFileSync(path, worldToYaml(world), { flag: 'wx', mode: 0o600 });
      return path;
    },

    addEntries(worldId: string, entries: readonly LoreEntry[]): EntriesAdded {
      const file = worldFiles().find((candidate) => candidate.id === worldId);
      if (!file) return { ok: false, problem: `no file in ${worlds} defines the world '${worldId}'` };
      const text = readText(file.path);
      if (text === undefined) return { ok: false, problem: `cannot read ${file.path}` };
      const updated = appendEntriesYaml(text, entries);
      const temporary = `${file.path}.${process.pid}.tmp`;
      writeFileSync(temporary, updated.text, { mode: 0o600 });
      renameSync(temporary, file.path);
      return { ok: true, path: file.path, added: updated.added };
    },
  };
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
