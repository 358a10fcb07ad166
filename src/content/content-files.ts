/**
 * Reading content files safely: only `*.yaml`/`*.yml` directly inside a content folder, never
 * through a symlink that leaves the assets folder, never a file larger than the size limit.
 */
import { lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { describeValue } from './schemas.ts';

export const MAX_CONTENT_FILE_BYTES = 5 * 1024 * 1024;

export type FileRead = { ok: true; raw: unknown } | { ok: false; problem: string; missing?: boolean };

const YAML_FILE = /\.ya?ml$/i;

export const isInside = (root: string, path: string): boolean => path === root || path.startsWith(root + sep);

/** Relative paths (forward slashes) of the YAML files in `folder`, sorted so load order is stable. */
export const listYamlFiles = (root: string, folder: string): string[] => {
  const dir = join(root, folder);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  // Dotfiles are editor swap and temp files, never content.
  return names
    .filter((name) => YAML_FILE.test(name) && !name.startsWith('.'))
    .sort()
    .map((name) => `${folder}/${name}`);
};

/** Reads and parses one file; `root` must already be a real path (symlinks resolved). */
export const readYamlFile = (root: string, relPath: string, maxBytes: number): FileRead => {
  const path = join(root, ...relPath.split('/'));
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    if (safeIsSymlink(path)) return { ok: false, problem: 'symlink whose target does not exist' };
    return { ok: false, problem: 'file not found', missing: true };
  }
  if (!isInside(root, real)) {
    return { ok: false, problem: `symlink to ${relative(root, real)}, outside the assets folder; not followed` };
  }
  const stats = statSync(real);
  if (!stats.isFile()) return { ok: false, problem: 'not a regular file' };
  if (stats.size > maxBytes) {
    return { ok: false, problem: `file is ${formatBytes(stats.size)}, over the ${formatBytes(maxBytes)} limit for a content file` };
  }
  let text: string;
  try {
    text = readFileSync(real, 'utf8');
  } catch (error) {
    return { ok: false, problem: `file could not be read: ${(error as Error).message}` };
  }
  return parseYamlObject(text);
};

/** One mapping per file: anything else is a precise problem, not an exception. */
export const parseYamlObject = (text: string): FileRead => {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    if (error.code === 'MULTIPLE_DOCS') {
      return { ok: false, problem: 'more than one YAML document (---); put one object in each file' };
    }
    return { ok: false, problem: `invalid YAML: ${firstLine(error.message)}` };
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    // e.g. an alias bomb over the yaml library's alias limit
    return { ok: false, problem: `invalid YAML: ${firstLine((error as Error).message)}` };
  }
  if (raw === null || raw === undefined) return { ok: false, problem: 'file is empty' };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problem: `file must hold a mapping of fields (key: value), not ${describeValue(raw)}` };
  }
  return { ok: true, raw };
};

const firstLine = (message: string): string => (message.split('\n')[0] ?? message).replace(/:$/, '');

const safeIsSymlink = (path: string): boolean => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
