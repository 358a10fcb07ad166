/**
 * First run: give a new user the shipped example content to play and edit. An existing assets
 * folder is the user's own and is never touched.
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's `assets/` folder. */
export const SHIPPED_ASSETS_DIR = fileURLToPath(new URL('../../assets', import.meta.url));

/** Copies the shipped content to `assetsDir` when it does not exist; returns whether it copied. */
export const ensureAssets = (assetsDir: string, shippedDir: string = SHIPPED_ASSETS_DIR): boolean => {
  if (existsSync(assetsDir)) return false;
  if (!existsSync(shippedDir)) throw new Error(`shipped example content not found at ${shippedDir}`);
  mkdirSync(dirname(assetsDir), { recursive: true });
  // Copy beside the target, then rename: a crash mid-copy must not leave a half-filled folder
  // that later runs would take for the user's own and never complete.
  const staging = `${assetsDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    cpSync(shippedDir, staging, { recursive: true, dereference: true });
    renameSync(staging, assetsDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return true;
};
