/**
 * Helpers for the fault tests: `flower serve` in a child process (so it can be signalled or
 * killed), reading the data dir's database directly, and small event helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { AnyServerEvent } from '../../src/protocol/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = /Flower engine listening on (ws:\/\/127\.0\.0\.1:(\d+)\/ws\/rpc)/;

export interface ServeChild {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Exit code, or null when killed by a signal. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `flower serve` through tsx, as a player runs it; every child is killed by `killAll`. */
export function serveChild(args: string[], env: NodeJS.ProcessEnv = {}): ServeChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (data: Buffer) => (out += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (err += data.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

const children = new Set<ChildProcess>();

export function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}

/** Waits for the listening line and returns its URL (or fails with the child's stderr). */
export async function listening(served: ServeChild): Promise<{ url: string; port: number }> {
  await expect.poll(() => LISTENING.test(served.stdout()) || served.child.exitCode !== null, { timeout: 60_000, interval: 50 }).toBe(true);
  const match = LISTENING.exec(served.stdout());
  if (!match) throw new Error(`serve did not start:\n${served.stderr()}`);
  return { url: match[1]!, port: Number(match[2]) };
}

export const serveArgs = (dir: { dataDir: string; configFile: string }): string[] => ['--port', '0', '--data-dir', dir.dataDir, '--config', dir.configFile];

/** Adds top-level keys to a data dir's config (e.g. a short `stall_timeout_ms`). */
export function addConfig(configFile: string, yaml: string): void {
  appendFileSync(configFile, `${yaml}\n`);
}

export interface StoredMessage {
  role: string;
  content: string;
  status: string;
}

/** A session's messages as stored, read through a separate connection. */
export function storedMessages(database: string, sessionId: string): StoredMessage[] {
  const db = new Database(database, { readonly: true });
  try {
    return db.prepare('SELECT role, content, status FROM messages WHERE session_id = ? ORDER BY id').all(sessionId) as StoredMessage[];
  } finally {
    db.close();
  }
}

export function integrityCheck(database: string): string {
  const db = new Database(database, { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

export const chunkText = (events: AnyServerEvent[]): string =>
  events
    .filter((event) => event.event === 'chat_chunk')
    .map((event) => event.content)
    .join('');

export const historyOf = (event: AnyServerEvent): Array<{ role: string; content: string }> =>
  (event.metadata.history as Array<{ role: string; content: string }>).map(({ role, content }) => ({ role, content }));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
