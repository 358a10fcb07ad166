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
  const server = http.createServer((req, res) => {
    if (req.url === '/health') { res.setHeader('content-type', 'application/json'); res.end('{"status":"ok"}'); return; }
    res.statusCode = 404; res.end();
  });
  server.listen(Number(arg('--port')), arg('--host'), () => {
    console.log('Flower engine listening on ws://' + arg('--host') + ':' + server.address().port + '/ws/rpc');
  });
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
    const code = await runStart({ port, dataDir: join(dir, 'data'), config: join(dir, 'config.yaml') }, t.deps);
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
    expect(await runStart({ port }, t.deps)).toBe(0);
    expect(t.spawned).toEqual([]);
    expect(t.tuiUrls).toEqual([`ws://127.0.0.1:${port}/ws/rpc`]);
  });

  it('refuses a port held by something else', async () => {
    const port = await serveHealth(404, 'nope');
    const t = deps();
    expect(await runStart({ port }, t.deps)).toBe(1);
    expect(t.lines.err.join('\n')).toMatch(/^✗ Something that is not a Flower engine answers/);
    expect(t.spawned).toEqual([]);
  });

  it('says why when the engine stops before it is ready, with its last output', async () => {
    const t = deps({ mode: 'crash' });
    expect(await runStart({ port: await freePort(), dataDir: join(dir, 'data') }, t.deps)).toBe(1);
    const message = t.lines.err.join('\n');
    expect(message).toContain('✗ The engine stopped before it was ready (exit code 3)');
    expect(message).toContain('config error: no providers');
    expect(t.tuiUrls).toEqual([]);
  });

  it('gives up with a clear message when the engine never answers, and stops it', async () => {
    const port = await freePort();
    const t = deps({ mode: 'silent', readyTimeoutMs: 600 });
    expect(await runStart({ port, dataDir: join(dir, 'data') }, t.deps)).toBe(1);
    expect(t.lines.err.join('\n')).toContain(`did not answer on 127.0.0.1:${port}`);
    expect(readFileSync(t.mark, 'utf8')).toBe('stopped cleanly');
  });

  it('refuses without a terminal before starting anything', async () => {
    const t = deps({ interactive: false });
    expect(await runStart({}, t.deps)).toBe(1);
    expect(t.lines.err.join('\n')).toContain('needs an interactive terminal');
    expect(t.spawned).toEqual([]);
  });

  it('takes FLOWER_PORT by the same rule as serve: a bad one is a usage error naming the variable', async () => {
    const t = deps({ env: { FLOWER_PORT: '99999' } });
    await expect(runStart({}, t.deps)).rejects.toMatchObject({ exitCode: 2, message: 'FLOWER_PORT="99999" is not a port: it must be a whole number from 0 to 65535 (0 picks a free port)' });
    expect(t.spawned).toEqual([]);
  });

  it('with port 0 starts a new engine on a free port and opens the UI on the port it picked', async () => {
    const t = deps();
    expect(await runStart({ port: 0, dataDir: join(dir, 'data') }, t.deps)).toBe(0);
    expect(t.spawned[0]?.slice(0, 2)).toEqual(['--port', '0']);
    expect(t.tuiUrls).toHaveLength(1);
    const picked = Number(/^ws:\/\/127\.0\.0\.1:(\d+)\/ws\/rpc$/.exec(t.tuiUrls[0] ?? '')?.[1]);
    expect(picked).toBeGreaterThan(0);
    expect(readFileSync(t.mark, 'utf8')).toBe('stopped cleanly');
  });

  it('passes --token (or FLOWER_TOKEN) to the UI in the URL', async () => {
    const port = await serveHealth(200, '{"status":"ok"}');
    const t = deps();
    expect(await runStart({ port, token: 'flw_a/b' }, t.deps)).toBe(0);
    const fromEnv = deps({ env: { FLOWER_TOKEN: 'flw_env' } });
    expect(await runStart({ port }, fromEnv.deps)).toBe(0);
    expect([...t.tuiUrls, ...fromEnv.tuiUrls]).toEqual([`ws://127.0.0.1:${port}/ws/rpc?token=flw_a%2Fb`, `ws://127.0.0.1:${port}/ws/rpc?token=flw_env`]);
  });

  it('off loopback, asks for a token before opening the UI on an engine that runs already', async () => {
    const port = await serveHealth(200, '{"status":"ok"}');
    const t = deps();
    expect(await runStart({ port, host: '0.0.0.0' }, t.deps)).toBe(2);
    expect(t.lines.err[0]).toMatch(/^✗ The engine on 0\.0\.0\.0:\d+ listens beyond loopback, so every client needs an access token: pass --token <token> \(or FLOWER_TOKEN\)/);
    expect(t.tuiUrls).toEqual([]);
  });

  it('off loopback, gives the UI of an engine it starts a one-off token and revokes it when the UI exits', async () => {
    const port = await freePort();
    const events: string[] = [];
    const t = deps({
      issueUiToken: async (databasePath) => {
        events.push(`issued in ${databasePath}`);
        return { token: 'flw_once', id: 'abc123def456', revoke: () => events.push('revoked') };
      },
      prepareTui: () => events.push('UI modules loading while the engine starts'),
      runTui: async ({ url }) => {
        events.push(`ui ${url}`);
        return 0;
      },
    });
    expect(await runStart({ port, host: '0.0.0.0', dataDir: join(dir, 'data') }, t.deps)).toBe(0);
    expect(events).toEqual([`issued in ${join(dir, 'data', 'flower.db')}`, 'UI modules loading while the engine starts', `ui ws://127.0.0.1:${port}/ws/rpc?token=flw_once`, 'revoked']);
    expect(t.lines.out.join('\n')).toContain('one-off token for profile default (id abc123def456), revoked when you quit');
    expect(JSON.parse(readFileSync(`${t.mark}.argv`, 'utf8'))).toEqual(['--port', String(port), '--host', '0.0.0.0', '--data-dir', join(dir, 'data')]);
  });
});
