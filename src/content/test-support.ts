/** Helpers shared by the content adapter's tests: a temp assets folder and a recording logger. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LogFields, Logger } from '../engine/ports.ts';

export interface TempAssets {
  root: string;
  dir: string;
  write(relPath: string, text: string): void;
  remove(relPath: string): void;
  cleanup(): void;
}

export const makeTempAssets = (): TempAssets => {
  const root = mkdtempSync(join(tmpdir(), 'flower-content-'));
  const dir = join(root, 'assets');
  mkdirSync(dir);
  return {
    root,
    dir,
    write(relPath, text) {
      const path = join(dir, relPath);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    },
    remove(relPath) {
      rmSync(join(dir, relPath), { force: true });
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
};

export interface RecordingLogger extends Logger {
  lines: { level: string; message: string; fields?: LogFields }[];
}

export const recordingLogger = (): RecordingLogger => {
  const lines: RecordingLogger['lines'] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
};

export const worldYaml = (id: string, extra = ''): string =>
  `id: ${id}\nname: World ${id}\nlore: |\n  Lore of ${id}.\nstart_message: Hello from ${id}.\nscene: A scene.\nsystem_prompt: Be vivid.\n${extra}`;

export const characterYaml = (id: string, name = `Character ${id}`): string => `id: ${id}\nname: ${name}\npersona: A persona.\n`;

export const ruleYaml = (id: string): string => `id: ${id}\nname: Rule ${id}\nprompt: Follow ${id}.\n`;
