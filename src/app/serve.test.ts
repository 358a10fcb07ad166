import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSqliteStore } from '../store/sqlite-store.ts';
import { BEYOND_LOOPBACK_WARNING, runServe, type ServeHandle } from './serve.ts';

let dir: string;
let config: string;
const running: ServeHandle[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flower-serve-'));
  config = join(dir, 'config.yaml');
  writeFileSync(config, 'local_discovery: false\n');
});
afterEach(async () => {
  for (const handle of running.splice(0)) await handle.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(host: string) {
  let stderr = '';
  const handle = await runServe({
    host,
    port: 0,
    dataDir: join(dir, 'data'),
    configFile: config,
    env: {},
    stdout: { write: () => true },
    stderr: { write: (text: string) => ((stderr += text), true) },
    shutdownGraceMs: 0,
  });
  running.push(handle);
  return { handle, stderr: () => stderr };
}

/** The HTTP status of the upgrade, or 101 when the socket opened. */
function upgrade(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

describe('serve off loopback', () => {
  it('warns once it listens, and what it says holds: this machine needs a token too', async () => {
    mkdirSync(join(dir, 'data'), { recursive: true });
    const store = createSqliteStore(join(dir, 'data', 'flower.db'));
    const { token } = store.tokens!.create('alice');
    store.close();

    const { handle, stderr } = await serve('0.0.0.0');
    expect(stderr()).toContain(BEYOND_LOOPBACK_WARNING);
    expect(BEYOND_LOOPBACK_WARNING).toMatch(/every client needs an access token, a UI on this machine too/);
    const port = new URL(handle.url).port;
    expect(await upgrade(`ws://127.0.0.1:${port}/ws/rpc`)).toBe(401);
    expect(await upgrade(`ws://127.0.0.1:${port}/ws/rpc?token=${token}`)).toBe(101);
  });

  it('refuses to start before any token exists, without claiming to listen', async () => {
    let stderr = '';
    const started = runServe({ host: '0.0.0.0', port: 0, dataDir: join(dir, 'data'), configFile: config, env: {}, stdout: { write: () => true }, stderr: { write: (text: string) => ((stderr += text), true) } });
    await expect(started).rejects.toThrow('binding 0.0.0.0 requires access tokens: run `flower token create <profile>` first');
    expect(stderr).not.toContain('listening beyond loopback');
  });

  it('does not warn on loopback, where a client without a token is the default profile', async () => {
    const { handle, stderr } = await serve('127.0.0.1');
    expect(stderr()).not.toContain('beyond loopback');
    expect(await upgrade(handle.url)).toBe(101);
  });
});
