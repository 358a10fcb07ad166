import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeEngine, runStart, type StartDeps } from './start.ts';

/** A stand-in engine process: answers /health, records its argv, takes a while to stop on SIGTERM. */
const FAKE_ENGINE = `
import http from 'node:http';
import { writeFileSync } from 'node:fs';
const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const mark = process.env.FAKE_MARK;
writeFileSync(mark + '.argv', JSON.stringify(process.argv.slice(2)));
if (process.env.FAKE_MODE === 'crash') { console.error('config error: no providers'); process.exit(3); }
if (process.env.FAKE_MODE !== 'silent') {
  http.createServer((req, res) => {
    if (req.url === '/health') { res.setHeader('content-type', 'application/json'); res.end('{"status":"ok"}'); return; }
    res.statusCode = 404; res.end();
  }).listen(Number(arg('--port')), arg('--host'));
}
process.on('SIGTERM', () => setTimeout(() => { writeFileSync(mark, 'stopped cleanly'); process.exit(0); }, 200));
setInterval(() => {}, 1000);
`;

let dir: string;
let servers: Server[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flower-start-'));
  writeFileSync(join(dir, 'fake-engine.mjs'), FAKE_ENGINE);
});
afterEach(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function serveHealth(status: number, body: string): Promise<number> {
  const server = createServer((_req, res) => {
    res.statusCode = status;
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function deps(overrides: Partial<StartDeps> & { mode?: string } = {}) {
  const lines = { out: [] as string[], err: [] as string[] };
  const tuiUrls: string[] = [];
  const configPaths: Array<string | undefined> = [];
  const spawned: string[][] = [];
  const mark = join(dir, 'mark');
  const base: StartDeps = {
    env: { ...process.env, FAKE_MARK: mark, FAKE_MODE: overrides.mode ?? 'normal' },
    interactive: true,
    runTui: async ({ url, configPath }) => {
      tuiUrls.push(url);
      configPaths.push(configPath);
      return 0;
    },
    engineCommand: (flags) => {
      spawned.push(flags);
      return { command: process.execPath, args: [join(dir, 'fake-engine.mjs'), ...flags] };
    },
    out: (line) => lines.out.push(line),
    err: (line) => lines.err.push(line),
    readyTimeoutMs: 10_000,
    stopTimeoutMs: 10_000,
  };
  return { deps: { ...base, ...overrides }, lines, tuiUrls, configPaths, spawned, mark };
}

describe('start', () => {
  it('starts an engine when none answers, opens the UI on it, then stops it with SIGTERM and waits', async () => {
    const port = await freePort();
    const t = deps({
      runTui: async ({ url, configPath }) => {
        t.tuiUrls.push(url);
        t.configPaths.push(configPath);
        // The engine is up while the UI runs.
        expect(await probeEngine('127.0.0.1', port)).toBe('flower');
        return 0;
      },
    });
    const code = await runStart({ port: String(port), dataDir: join(dir, 'data'), config: join(dir, 'config.yaml') }, t.deps);
    expect(code).toBe(0);
    expect(t.tuiUrls).toEqual([`ws://127.0.0.1:${port}/ws/rpc`]);
    expect(t.configPaths).toEqual([join(dir, 'config.yaml')]);
    expect(JSON.parse(readFileSync(`${t.mark}.argv`, 'utf8'))).toEqual([
      '--port', String(port), '--host', '127.0.0.1', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml'),
    ]);
    // runStart returned only after the engine finished its SIGTERM handling.
    expect(readFileSync(t.mark, 'utf8')).toBe('stopped cleanly');
    expect(await probeEngine('127.0.0.1', port)).toBe('none');
    expect(existsSync(join(dir, 'data', 'engine-console.log'))).toBe(true);
  });

  it('connects to an engine that already answers instead of starting another', async () => {
    const port = await serveHealth(200, '{"status":"ok"}');
    const t = deps();
    expect(await runStart({ port: String(port) }, t.deps)).toBe(0);
    expect(t.spawned).toEqual([]);
    expect(t.tuiUrls).toEqual([`ws://127.0.0.1:${port}/ws/rpc`]);
  });

  it('refuses a port held by something else', async () => {
    const port = await serveHealth(404, 'nope');
    const t = deps();
    expect(await runStart({ port: String(port) }, t.deps)).toBe(1);
    expect(t.lines.err.join('\n')).toMatch(/^✗ Something that is not a Flower engine answers/);
    expect(t.spawned).toEqual([]);
  });

  it('says why when the engine stops before it is ready, with its last output', async () => {
    const t = deps({ mode: 'crash' });
    expect(await runStart({ port: String(await freePort()), dataDir: join(dir, 'data') }, t.deps)).toBe(1);
    const message = t.lines.err.join('\n');
    expect(message).toContain('✗ The engine stopped before it was ready (exit code 3)');
    expect(message).toContain('config error: no providers');
    expect(t.tuiUrls).toEqual([]);
  });

  it('gives up with a clear message when the engine never answers, and stops it', async () => {
    const port = await freePort();
    const t = deps({ mode: 'silent', readyTimeoutMs: 600 });
    expect(await runStart({ port: String(port), dataDir: join(dir, 'data') }, t.deps)).toBe(1);
    expect(t.lines.err.join('\n')).toContain(`did not answer on 127.0.0.1:${port}`);
    expect(readFileSync(t.mark, 'utf8')).toBe('stopped cleanly');
  });

  it('refuses without a terminal before starting anything, and a bad port', async () => {
    const t = deps({ interactive: false });
    expect(await runStart({}, t.deps)).toBe(1);
    expect(t.lines.err.join('\n')).toContain('needs an interactive terminal');
    expect(t.spawned).toEqual([]);
    const bad = deps();
    expect(await runStart({ port: 'eighty' }, bad.deps)).toBe(1);
    expect(bad.lines.err[0]).toMatch(/^✗ --port must be a whole number/);
    const badEnv = deps({ env: { FLOWER_PORT: '99999' } });
    expect(await runStart({}, badEnv.deps)).toBe(1);
    expect(badEnv.lines.err[0]).toMatch(/^✗ FLOWER_PORT must be a whole number/);
  });
});
