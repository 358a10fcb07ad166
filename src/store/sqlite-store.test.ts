import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogFields } from '../engine/ports.ts';
import { StoreError } from './errors.ts';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { createSqliteStore } from './sqlite-store.ts';
import { describeStoreContract } from './store-contract.ts';
import { tempDir } from './test-support.ts';

const temp = tempDir();
afterAll(() => temp.cleanup());
let fileCounter = 0;
const freshFile = (): string => temp.file(`contract-${++fileCounter}.db`);

describeStoreContract(':memory:', () => createSqliteStore(':memory:'));
describeStoreContract('file', () => createSqliteStore(freshFile()));

const newSession = (id: string) => ({
  id, profileId: 'default', worldId: 'harbor', characterId: 'wren', model: 'm', parentId: null, createdAt: 1,
});

const caught = (work: () => unknown): unknown => {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('sqlite store: schema and files', () => {
  it('migrates once, records the version, and a reopened file keeps its data', () => {
    const path = freshFile();
    const logged: { message: string; fields?: LogFields }[] = [];
    const logger = { info: (message: string, fields?: LogFields) => logged.push({ message, fields }), warn: () => {}, error: () => {} };
    const first = createSqliteStore(path, { logger });
    first.sessions.create(newSession('s1'), 'It begins.');
    first.lore.syncWorld({ id: 'harbor', lore: '' }, ['A lighthouse on the cliff.']);
    first.close();

    const second = createSqliteStore(path, { logger });
    expect(second.messages.list('s1').map((m) => m.content)).toEqual(['It begins.']);
    expect(second.lore.search('harbor', 'lighthouse', 1)).toHaveLength(1);
    second.close();

    expect(logged.filter((entry) => entry.message === 'store migration applied')).toHaveLength(migrations.length);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it("upgrades a database made before notes and hiding: its sessions get no note, its messages stay shown", () => {
    const path = freshFile();
    const old = new Database(path);
    const beforeNotes = migrations.findIndex((migration) => migration.name === 'author_note_hidden');
    migrate(old, migrations.slice(0, beforeNotes), path);
    old.exec(`
      INSERT INTO sessions (id, profile_id, world_id, character_id, model, title, parent_id, created_at, last_used_at)
      VALUES ('s1', 'default', 'harbor', 'wren', 'm', 'Old story', NULL, 1, 1);
      INSERT INTO messages (session_id, role, content, character_id, status, model, tokens, reasoning, created_at)
      VALUES ('s1', 'assistant', 'It begins.', 'wren', 'complete', '', 0, '', 1),
             ('s1', 'user', 'I wave.', 'wren', 'complete', 'm', 0, '', 2);`);
    expect(old.pragma('user_version', { simple: true })).toBe(beforeNotes);
    old.close();

    const store = createSqliteStore(path);
    expect(store.sessions.get('default', 's1')).toMatchObject({ title: 'Old story' });
    expect(store.sessions.note('s1')).toBe('');
    const [first, second] = store.messages.list('s1');
    expect(first).toMatchObject({ content: 'It begins.' });
    expect(first).not.toHaveProperty('hidden');
    store.sessions.setNote('s1', 'Keep it grim.');
    store.messages.update(second?.id ?? -1, { hidden: true });
    store.close();

    const reopened = createSqliteStore(path);
    expect(reopened.sessions.note('s1')).toBe('Keep it grim.');
    expect(reopened.messages.list('s1').map((m) => m.hidden ?? false)).toEqual([false, true]);
    reopened.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(migrations.length);
    raw.close();
  });

  it('refuses a database from a newer schema rather than guessing', () => {
    const path = freshFile();
    createSqliteStore(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    const error = caught(() => createSqliteStore(path));
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ kind: 'schema_too_new' });
  });

  it('deletes a session atomically: a failure midway leaves everything in place', () => {
    const path = freshFile();
    const store = createSqliteStore(path);
    store.sessions.create(newSession('s1'), 'start');
    store.memory.add('s1', 'a memory', [1], 1);
    // Another connection plants a trigger that fails while the cascade removes memories.
    const saboteur = new Database(path);
    saboteur.exec("CREATE TRIGGER no_forgetting BEFORE DELETE ON memories BEGIN SELECT RAISE(ABORT, 'refused'); END");

    expect(() => store.sessions.delete('s1')).toThrow(StoreError);
    expect(store.sessions.get('default', 's1')).toBeDefined();
    expect(store.messages.count('s1')).toBe(1);
    expect(store.memory.list('s1')).toHaveLength(1);

    saboteur.exec('DROP TRIGGER no_forgetting');
    saboteur.close();
    store.sessions.delete('s1');
    expect(store.sessions.get('default', 's1')).toBeUndefined();
    store.close();
  });

  it('keeps the full-text indexes consistent with their tables', () => {
    const path = freshFile();
    const store = createSqliteStore(path);
    store.sessions.create(newSession('s1'));
    store.lore.syncWorld({ id: 'w', lore: '' }, ['one fish', 'two fish']);
    store.lore.attach('w', 'red fish');
    store.lore.syncWorld({ id: 'w', lore: '' }, ['blue fish']);
    store.memory.add('s1', 'a fish memory', [1], 1);
    store.memory.add('s1', 'another', [2], 1);
    store.memory.deleteForMessages('s1', [2]);
    store.sessions.delete('s1');
    store.close();

    const raw = new Database(path);
    // FTS5 'integrity-check' throws SQLITE_CORRUPT_VTAB when an index disagrees with its table.
    raw.exec("INSERT INTO lore_fts (lore_fts) VALUES ('integrity-check')");
    raw.exec("INSERT INTO memories_fts (memories_fts) VALUES ('integrity-check')");
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  });

  it('reads a database opened read-only and refuses writes with a clear error', () => {
    const path = freshFile();
    const writer = createSqliteStore(path);
    writer.sessions.create(newSession('s1'), 'start');
    writer.close();

    const reader = createSqliteStore(path, { readonly: true });
    expect(reader.messages.count('s1')).toBe(1);
    const error = caught(() => reader.messages.append({ sessionId: 's1', role: 'user', content: 'x', characterId: 'wren' }));
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ kind: 'readonly', path });
    expect((error as Error).message).toBe(`database is not writable: ${path} (check the file's and its folder's permissions)`);
    reader.close();
  });

  it('names the file when it cannot be opened', () => {
    const missingFolder = temp.file('no/such/folder/flower.db');
    expect(caught(() => createSqliteStore(missingFolder))).toMatchObject({
      name: 'StoreError', kind: 'cannot_open', message: `cannot open database: ${missingFolder} (its folder does not exist)`,
    });
    expect(caught(() => createSqliteStore(temp.file('absent.db'), { readonly: true }))).toMatchObject({
      name: 'StoreError', kind: 'cannot_open',
    });
    expect(caught(() => createSqliteStore(temp.dir))).toBeInstanceOf(StoreError);
  });

  // Root ignores file permissions, so this can only be staged as an ordinary user.
  it.skipIf(process.getuid?.() === 0)('names the file when it or its folder is not writable', () => {
    const folder = temp.file('locked-folder');
    mkdirSync(folder);
    const path = `${folder}/flower.db`;
    createSqliteStore(path).close();
    chmodSync(path, 0o444);
    chmodSync(folder, 0o555);
    try {
      expect(caught(() => createSqliteStore(path))).toMatchObject({ name: 'StoreError', kind: 'readonly', path });
    } finally {
      chmodSync(folder, 0o755);
      chmodSync(path, 0o644);
    }
  });

  it('refuses a file that is not a database without changing it', () => {
    const path = temp.file('notes.txt');
    const text = 'these are my notes, not a database\n'.repeat(200);
    writeFileSync(path, text);
    expect(caught(() => createSqliteStore(path))).toMatchObject({ name: 'StoreError', kind: 'not_a_database' });
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
