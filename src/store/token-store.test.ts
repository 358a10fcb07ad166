import { createHash, timingSafeEqual } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { accessTokens } from './migrations/003_access_tokens.ts';
import { createSqliteStore } from './sqlite-store.ts';
import { tempDir } from './test-support.ts';
import { createTokenStore } from './token-store.ts';


const temp = tempDir('flower-tokens-');
afterAll(() => temp.cleanup());

// A spy that still runs the real constant-time comparison, so a test can see it is used.
const compare = vi.fn(timingSafeEqual);

function setup(start = 1_000) {
  const db = new Database(':memory:');
  db.exec(accessTokens.up as string);
  let time = start;
  const tokens = createTokenStore(db, () => time, { compare });
  return { db, tokens, advance: (ms: number) => (time += ms) };
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('token store', () => {
  beforeEach(() => {
    compare.mockClear();
  });

  it('returns a flw_ token once and stores only its SHA-256', () => {
    const { db, tokens } = setup();
    const { token, record } = tokens.create('alice', 'laptop');
    expect(token).toMatch(/^flw_[A-Za-z0-9_-]{43}$/);
    expect(record).toEqual({ id: expect.stringMatching(/^[0-9a-f]{12}$/), profileId: 'alice', label: 'laptop', createdAt: 1_000, lastUsedAt: null, revokedAt: null });
    const rows = db.prepare('SELECT * FROM access_tokens').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256Hex(token));
    const everyCell = rows.flatMap((row) => Object.values(row)).map(String);
    expect(everyCell.some((cell) => cell.includes(token.slice(4)))).toBe(false);
    expect(JSON.stringify(tokens.list())).not.toContain(token.slice(4));
  });

  it('draws a different token each time', () => {
    const { tokens } = setup();
    const a = tokens.create('alice').token;
    const b = tokens.create('alice').token;
    expect(a).not.toBe(b);
  });

  it('verifies a token to its profile and records when it was used', () => {
    const { tokens, advance } = setup();
    const alice = tokens.create('alice').token;
    const bob = tokens.create('bob').token;
    advance(500);
    expect(tokens.verify(alice)).toBe('alice');
    expect(tokens.verify(bob)).toBe('bob');
    expect(tokens.list().map((t) => [t.profileId, t.lastUsedAt])).toEqual([['bob', 1_500], ['alice', 1_500]]);
  });

  it('refuses wrong, malformed and near-miss tokens', () => {
    const { tokens } = setup();
    const token = tokens.create('alice').token;
    const lastChar = token.at(-1) === 'A' ? 'B' : 'A';
    for (const wrong of ['', 'flw_', 'nope', token.slice(0, -1), `${token.slice(0, -1)}${lastChar}`, `${token}x`, token.toUpperCase(), ` ${token}`]) {
      expect(tokens.verify(wrong), JSON.stringify(wrong)).toBeUndefined();
    }
    expect(tokens.list()[0]?.lastUsedAt).toBeNull();
  });

  it('compares against every active hash with timingSafeEqual, with no early exit', () => {
    const { tokens } = setup();
    const first = tokens.create('alice').token;
    tokens.create('bob');
    tokens.create('carol');
    expect(tokens.verify(first)).toBe('alice');
    expect(compare).toHaveBeenCalledTimes(3);
  });

  it('revokes by id or unambiguous prefix; a revoked token no longer verifies', () => {
    const { tokens, advance } = setup();
    const { token, record } = tokens.create('alice');
    advance(10);
    expect(tokens.revoke(record.id.slice(0, 6).toUpperCase())).toMatchObject({ status: 'revoked', token: { id: record.id, revokedAt: 1_010 } });
    expect(tokens.verify(token)).toBeUndefined();
    expect(tokens.revoke(record.id)).toMatchObject({ status: 'already_revoked', token: { revokedAt: 1_010 } });
    expect(tokens.hasActive()).toBe(false);
  });

  it('identifies a token by id and profile, and lists the ids still active', () => {
    const { tokens } = setup();
    const alice = tokens.create('alice');
    const bob = tokens.create('bob');
    expect(tokens.identify(alice.token)).toEqual({ id: alice.record.id, profileId: 'alice' });
    expect(tokens.activeIds()).toEqual(new Set([alice.record.id, bob.record.id]));
    tokens.revoke(bob.record.id);
    expect(tokens.activeIds()).toEqual(new Set([alice.record.id]));
    expect(tokens.identify(bob.token)).toBeUndefined();
  });

  it('answers unknown for no match and too-short prefixes, ambiguous for shared prefixes', () => {
    const { db, tokens } = setup();
    expect(tokens.revoke('abcdef012345')).toEqual({ status: 'unknown' });
    tokens.create('alice');
    tokens.create('bob');
    // Make two ids share a prefix deterministically.
    db.exec("UPDATE access_tokens SET id = 'aaaa' || substr(id, 5)");
    const ids = tokens.list().map((t) => t.id);
    expect(tokens.revoke('aaa')).toEqual({ status: 'unknown' });
    expect(tokens.revoke('aaaa')).toEqual({ status: 'ambiguous', matches: [...ids].sort() });
    expect(tokens.hasActive()).toBe(true);
  });

  it('refuses an invalid profile id before writing anything', () => {
    const { tokens } = setup();
    for (const bad of ['', 'a b', 'x'.repeat(65), 'ali/ce', 'émile']) {
      expect(() => tokens.create(bad), bad).toThrow(/profile ids are 1 to 64 letters, digits, _ or -/);
    }
    expect(tokens.list()).toEqual([]);
  });

  it('the schema itself rejects a bad profile id or a non-hash', () => {
    const { db } = setup();
    const insert = db.prepare('INSERT INTO access_tokens (id, profile_id, token_hash, created_at) VALUES (?, ?, ?, 1)');
    expect(() => insert.run('a1', 'bad id', sha256Hex('x'))).toThrow(/CHECK/);
    expect(() => insert.run('a2', 'ok', 'plaintext-token')).toThrow(/CHECK/);
    expect(() => insert.run('a3', 'ok-_09AZaz', sha256Hex('x'))).not.toThrow();
  });
});

describe('token store in the SQLite store', () => {
  it('is part of createSqliteStore and keeps tokens across a reopen of the file', () => {
    const path = temp.file('tokens.db');
    const first = createSqliteStore(path);
    const { token } = first.tokens!.create('alice', 'phone');
    first.close();
    const second = createSqliteStore(path);
    expect(second.tokens!.verify(token)).toBe('alice');
    expect(second.tokens!.list().map((t) => t.label)).toEqual(['phone']);
    second.close();
  });
});
