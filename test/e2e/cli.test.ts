/**
 * The CLI as a player runs it: `serve` in a child process (through tsx, no build), a port
 * already in use, and SIGTERM in the middle of a reply.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startOpenAiServer, type OpenAiServer, type ScriptedReply } from '../support/openai-sse-server.ts';
import { connectClient, makeDataDir, prepareStage, startFlower } from './helpers/flower.ts';
import type { TestClient } from './helpers/ws-client.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = /Flower engine listening on (ws:\/\/127\.0\.0\.1:(\d+)\/ws\/rpc)/;

let upstream: OpenAiServer;
let script: () => ScriptedReply = () => ({ chunks: ['Hello', ' there.'] });
const children: ChildProcess[] = [];
const dirs: Array<ReturnType<typeof makeDataDir>> = [];

beforeAll(async () => {
  upstream = await startOpenAiServer({ reply: () => script() });
});
afterAll(() => upstream.close());
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) dir.remove();
});

interface Served {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function serve(args: string[], env: NodeJS.ProcessEnv = {}): Served {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (data: Buffer) => (out += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (err += data.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function listening(served: Served): Promise<{ url: string; port: number }> {
  await expect.poll(() => LISTENING.test(served.stdout()) || served.child.exitCode !== null, { timeout: 60_000, interval: 50 }).toBe(true);
  const match = LISTENING.exec(served.stdout());
  if (!match) throw new Error(`serve did not start:\n${served.stderr()}`);
  return { url: match[1]!, port: Number(match[2]) };
}

function dataDir() {
  const dir = makeDataDir(upstream.url);
  dirs.push(dir);
  return dir;
}

// Each test starts Node with tsx once or twice; a loaded CI machine needs more than the default.
describe('end to end: the serve command', { timeout: 120_000 }, () => {
  it('prints the listening line, and a second engine on the same port fails with one line', async () => {
    const dir = dataDir();
    const first = serve(['--port', '0', '--data-dir', dir.dataDir, '--config', dir.configFile]);
    const { url, port } = await listening(first);
    const client: TestClient = await connectClient(url);
    expect(client.events[0]?.content).toBe('✓ Engine ready.');
    client.socket.terminate();

    const second = serve([], { FLOWER_PORT: String(port), FLOWER_DATA_DIR: dir.dataDir, FLOWER_CONFIG: dir.configFile });
    expect(await second.exit).toBe(1);
    const lines = second.stderr().trimEnd().split('\n');
    expect(lines.at(-1)).toBe(`✗ port ${port} is already in use on 127.0.0.1; pass --port`);
    expect(second.stderr()).not.toMatch(/\n\s+at /);

    first.child.kill('SIGINT');
    expect(await first.exit).toBe(0);
    expect(first.stderr()).toMatch(/received a signal signal=SIGINT/);
  });

  it('refuses a bad port with a one-line usage error and exit code 2', async () => {
    const bad = serve(['--port', 'eighty']);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr().trim().split('\n')).toHaveLength(1);
    expect(bad.stderr()).toMatch(/^✗ .*port must be a whole number/);
  });

  it('stores the partial reply on SIGTERM mid-stream, closes sockets with 1001 and exits 0', async () => {
    const dir = dataDir();
    const full = Array.from({ length: 500 }, (_, i) => `s${i} `);
    script = () => ({ chunks: full, delayMs: 50 });
    const served = serve(['--port', '0', '--data-dir', dir.dataDir, '--config', dir.configFile]);
    const { url } = await listening(served);
    const client = await connectClient(url);
    const sessionId = await prepareStage(client);
    client.skip();
    client.send('I hold my breath.');
    await client.next('chat_chunk');

    served.child.kill('SIGTERM');
    const end = await client.next('chat_end');
    const closed = await client.closed;
    expect(closed.code).toBe(1001);
    expect(await served.exit).toBe(0);
    const streamed = client.events.slice(0, client.events.indexOf(end)).filter((event) => event.event === 'chat_chunk').map((event) => event.content).join('');

    script = () => ({ chunks: ['Hello', ' there.'] });
    const again = await startFlower(dir.dataDir, dir.configFile);
    try {
      const returning = await connectClient(again.url);
      expect(returning.events[1]?.metadata.session_id).toBe(sessionId);
      const entries = (await returning.next('chat_history')).metadata.history as Array<{ role: string; content: string }>;
      const history = entries.map(({ role, content }) => ({ role, content }));
      expect(history.at(-2)).toEqual({ role: 'user', content: 'I hold my breath.' });
      expect(history.at(-1)?.role).toBe('assistant');
      expect(history.at(-1)?.content.startsWith(streamed.trim())).toBe(true);
      expect(streamed.length).toBeGreaterThan(0);
      expect(history.at(-1)!.content.length).toBeLessThan(full.join('').trim().length);
      returning.socket.terminate();
    } finally {
      await again.close();
    }
  });
});
