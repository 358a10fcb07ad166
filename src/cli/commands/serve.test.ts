/**
 * What `flower serve` loads by the time its first client has its first frame: never the UI (Ink,
 * React), the tokenizer's tables, a provider SDK or Markdown; and what the CLI itself loads before
 * a command runs. Checked on the real CLI in a child process, with a module loader hook that
 * records every module loaded (and Node's require cache at exit).
 */
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'flower-serve-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RECORD_HOOKS = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.RECORD_MODULES, url + '\\n');
  return next(url, context);
}
`;
const RECORD = `
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(process.env.RECORD_MODULES, Object.keys(cache).join('\\n') + '\\n'));
`;
writeFileSync(join(dir, 'hooks.mjs'), RECORD_HOOKS);
writeFileSync(join(dir, 'record.mjs'), RECORD);
writeFileSync(join(dir, 'config.yaml'), 'local_discovery: false\n');

const nodeArgs = (...cli: string[]): string[] => ['--import', tsxLoader, '--import', pathToFileURL(join(dir, 'record.mjs')).href, join(root, 'src', 'cli.ts'), ...cli];
const packagesIn = (list: string): Set<string> =>
  new Set([...list.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((match) => match[1] ?? ''));

/** Packages `serve` must not load before it is needed (a turn, a model listing, the UI). */
const LATER = ['ink', 'react', 'gpt-tokenizer', 'ai', '@ai-sdk/openai', '@ai-sdk/anthropic', '@ai-sdk/google', '@ai-sdk/openai-compatible', '@openrouter/ai-sdk-provider', 'marked'];

describe('what loads at start', { timeout: 120_000 }, () => {
  it('serve answers its first client without the UI, the tokenizer tables or a provider SDK', async () => {
    const record = join(dir, 'serve-modules.txt');
    writeFileSync(record, '');
    const child = spawn(process.execPath, [...nodeArgs('serve', '--port', '0', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml'))], {
      env: { ...process.env, RECORD_MODULES: record },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    const url = await new Promise<string>((done, fail) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const found = /(ws:\/\/\S+)/.exec(line)?.[1];
        if (found) done(found);
      });
      void exited.then((code) => fail(new Error(`serve exited (${code}) before listening`)));
    });
    const first = await new Promise<string>((done) => {
      const socket = new WebSocket(url);
      socket.once('message', (data) => {
        socket.close();
        done(String(data));
      });
    });
    expect(JSON.parse(first)).toMatchObject({ event: 'system_update' });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const loaded = packagesIn(readFileSync(record, 'utf8'));
    expect(loaded.has('zod')).toBe(true); // the recording works
    expect(LATER.filter((name) => loaded.has(name))).toEqual([]);
  });

  it('the CLI loads no command’s work before the command runs (no schemas, no store)', async () => {
    const record = join(dir, 'cli-modules.txt');
    writeFileSync(record, '');
    const version = await new Promise<string>((done, fail) =>
      execFile(process.execPath, nodeArgs('--version'), { env: { ...process.env, RECORD_MODULES: record } }, (error, out) => (error ? fail(error) : done(out))),
    );
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const listed = readFileSync(record, 'utf8');
    expect(listed).toContain('commander');
    const loader = ['tsx', 'esbuild'];
    expect([...packagesIn(listed)].filter((name) => !loader.includes(name)).sort()).toEqual(['commander', 'env-paths']);
    expect(listed).not.toMatch(/src\/(store|engine\/(?!profile-id)|content|providers|app)\//);
  });
});
