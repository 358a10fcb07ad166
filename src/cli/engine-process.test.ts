import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listeningPort, probeEngine, spawnEngine } from './engine-process.ts';

const servers: Server[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('probeEngine', () => {
  it('tells a Flower engine from something else and from nothing', async () => {
    const flower = await serve((_req, res) => res.end('{"status":"ok"}'));
    const notJson = await serve((_req, res) => res.end('<html>ok</html>'));
    const notFound = await serve((_req, res) => {
      res.statusCode = 404;
      res.end('{"status":"ok"}');
    });
    const silent = await serve(() => undefined);
    const slowBody = await serve((_req, res) => res.write('{"status":'));
    const closed = await serve(() => undefined);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    expect(await probeEngine('127.0.0.1', flower)).toBe('flower');
    expect(await probeEngine('127.0.0.1', notJson)).toBe('other');
    expect(await probeEngine('127.0.0.1', notFound)).toBe('other');
    expect(await probeEngine('127.0.0.1', silent, 300)).toBe('none');
    expect(await probeEngine('127.0.0.1', slowBody, 300)).toBe('other');
    expect(await probeEngine('127.0.0.1', closed)).toBe('none');
  });
});

describe('listeningPort', () => {
  it("reads the port from this run's listening line only, not an earlier run's in the same log", () => {
    const dir = mkdtempSync(join(tmpdir(), 'flower-engine-log-'));
    dirs.push(dir);
    const log = join(dir, 'engine-console.log');
    writeFileSync(log, 'Flower engine listening on ws://127.0.0.1:41000/ws/rpc\n');
    const engine = spawnEngine(process.execPath, ['-e', ''], {}, log);
    expect(listeningPort(engine)).toBeUndefined();
    appendFileSync(log, '12:00:00 INFO  starting\nFlower engine listening on ws://[::1]:42424/ws/rpc\n');
    expect(listeningPort(engine)).toBe(42424);
  });
});
