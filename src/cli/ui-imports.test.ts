/**
 * The UI's modules load with Ink's `es-toolkit/compat` import answered by one small module
 * instead of the barrel, and Ink still gets a working `throttle`. Checked in a child process
 * (the hook lives in Node's loader, which a test must not change for its own process).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'flower-ui-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const url = (...path: string[]): string => JSON.stringify(pathToFileURL(join(root, ...path)).href);

writeFileSync(
  join(dir, 'record-hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(process.env.RECORD_MODULES, url + '\\n'); return next(url, context); }\n`,
);
writeFileSync(
  join(dir, 'load-ui.mjs'),
  `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(join(dir, 'record-hooks.mjs')).href)});
const { shortenUiImports } = await import(${url('src', 'cli', 'ui-imports.ts')});
if (process.env.SHORTEN) shortenUiImports();
const ui = await import(${url('src', 'tui', 'run-tui.ts')});
const ink = await import(${url('node_modules', 'ink', 'build', 'ink.js')});
console.log(typeof ui.runTui, typeof ink.default);\n`,
);

function loadUi(shorten: boolean): Promise<{ out: string; modules: string[] }> {
  const record = join(dir, `modules-${shorten}.txt`);
  writeFileSync(record, '');
  const env = { ...process.env, RECORD_MODULES: record, ...(shorten ? { SHORTEN: '1' } : {}) };
  return new Promise((done, fail) =>
    execFile(process.execPath, ['--import', tsxLoader, join(dir, 'load-ui.mjs')], { env, encoding: 'utf8', timeout: 60_000 }, (error, out) =>
      error ? fail(error) : done({ out, modules: readFileSync(record, 'utf8').split('\n').filter(Boolean) }),
    ),
  );
}

describe('shortenUiImports', { timeout: 120_000 }, () => {
  it('loads a handful of es-toolkit modules instead of its whole compat barrel, and the UI still loads', async () => {
    const [plain, shortened] = await Promise.all([loadUi(false), loadUi(true)]);
    const esToolkit = (modules: string[]) => modules.filter((module) => module.includes('/node_modules/es-toolkit/')).length;
    expect(plain.out.trim()).toBe('function function');
    expect(shortened.out.trim()).toBe('function function');
    expect(esToolkit(plain.modules)).toBeGreaterThan(300);
    expect(esToolkit(shortened.modules)).toBeLessThan(10);
  });
});
