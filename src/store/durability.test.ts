import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from './errors.ts';
import { createSqliteStore } from './sqlite-store.ts';
import { tempDir } from './test-support.ts';

const temp = tempDir('flower-durability-');
afterAll(() => temp.cleanup());

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CRASH_WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));

interface Committed {
  sessionId: string;
  messageIds: number[];
  replyId: number;
}

/** Runs the writer until it has reported `turns` commits, then kills it with SIGKILL. */
function runAndKill(path: string, turns: number): Promise<{ committed: Committed[]; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_WRITER, path], { cwd: REPO_ROOT });
    const committed: Committed[] = [];
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) committed.push(JSON.parse(line) as Committed);
      if (committed.length >= turns) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ committed, signal, stderr }));
  });
}

const caught = (work: () => unknown): unknown => {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('durability', () => {
  it('keeps every reported commit and a sound file after kill -9 mid-write', async () => {
    const path = temp.file('crash.db');
    const { committed, signal, stderr } = await runAndKill(path, 150);
    expect(stderr).toBe('');
    expect(signal).toBe('SIGKILL');
    expect(committed.length).toBeGreaterThanOrEqual(150);

    const raw = new Database(path);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(() => raw.exec("INSERT INTO lore_fts (lore_fts) VALUES ('integrity-check')")).not.toThrow();
    expect(() => raw.exec("INSERT INTO memories_fts (memories_fts) VALUES ('integrity-check')")).not.toThrow();
    // Whatever the kill cut, multi-row writes are whole: every session has its start message
    // and either all three parts of its turn or none.
    const perSession = raw
      .prepare<[], { starts: number; parts: number }>(`
        SELECT sum(content LIKE 'start of %') AS starts, sum(content LIKE 'turn % part %') AS parts
        FROM messages GROUP BY session_id`)
      .all();
    raw.close();
    expect(perSession.length).toBeGreaterThanOrEqual(committed.length);
    for (const counts of perSession) {
      expect(counts.starts).toBe(1);
      expect([0, 3]).toContain(counts.parts);
    }

    const store = createSqliteStore(path);
    store.messages.recoverInterrupted();
    for (const turn of committed) {
      expect(store.sessions.get('default', turn.sessionId), turn.sessionId).toBeDefined();
      for (const id of turn.messageIds) expect(store.messages.get(id)?.sessionId).toBe(turn.sessionId);
      expect(store.messages.get(turn.replyId)?.status).toBe('complete');
      expect(store.memory.list(turn.sessionId)).toHaveLength(1);
    }
    expect(store.lore.count('w')).toBeGreaterThanOrEqual(committed.length);
    expect(store.messages.recoverInterrupted()).toBe(0);
    store.close();
  });

  it('fails a write with a clear error while another connection holds the write lock, and recovers after', () => {
    const path = temp.file('locked.db');
    const store = createSqliteStore(path, { busyTimeoutMs: 50 });
    store.sessions.create({ id: 's1', profileId: 'default', worldId: 'w', characterId: 'c', model: 'm', parentId: null, createdAt: 1 });
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    other.prepare("UPDATE sessions SET title = 'held' WHERE id = 's1'").run();

    const error = caught(() => store.messages.append({ sessionId: 's1', role: 'user', content: 'hello', characterId: 'c' }));
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ kind: 'locked', path, code: 'SQLITE_BUSY' });
    expect((error as Error).message).toBe(
      `database is locked by another process: ${path} (is another Flower engine running on this data dir?)`,
    );
    expect(caught(() => store.transaction(() => store.sessions.setTitle('s1', 'x')))).toMatchObject({ kind: 'locked' });
    // Readers are not blocked by a writer under WAL.
    expect(store.sessions.get('default', 's1')?.title).toBe('');

    other.exec('COMMIT');
    other.close();
    const message = store.messages.append({ sessionId: 's1', role: 'user', content: 'hello', characterId: 'c' });
    expect(store.messages.list('s1')).toEqual([message]);
    expect(store.sessions.get('default', 's1')?.title).toBe('held');
    store.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  });

  it('fails to open a new database with a clear error while another connection locks it', () => {
    const path = temp.file('locked-at-open.db');
    const other = new Database(path);
    other.exec('CREATE TABLE squatter (x)');
    other.exec('BEGIN EXCLUSIVE');
    expect(caught(() => createSqliteStore(path, { busyTimeoutMs: 50 }))).toMatchObject({ name: 'StoreError', kind: 'locked' });
    other.exec('ROLLBACK');
    other.close();
    const store = createSqliteStore(path);
    store.sessions.create({ id: 's1', profileId: 'default', worldId: 'w', characterId: 'c', model: 'm', parentId: null, createdAt: 1 });
    store.close();
  });
});
