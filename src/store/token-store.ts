import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AccessTokenRecord, TokenStore } from '../engine/ports.ts';
import { isValidProfileId, PROFILE_ID_RULE } from '../engine/profile-id.ts';

/** `flw_` then 32 random bytes in base64url (43 characters). */
export const TOKEN_PREFIX = 'flw_';
const TOKEN_SHAPE = /^flw_[A-Za-z0-9_-]{43}$/;
const ID_BYTES = 6;
const MIN_PREFIX = 4;
const MAX_LABEL_CHARS = 200;

interface TokenRow {
  id: string;
  profile_id: string;
  label: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

interface HashRow {
  id: string;
  profile_id: string;
  token_hash: string;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

const toRecord = (row: TokenRow): AccessTokenRecord => ({
  id: row.id,
  profileId: row.profile_id,
  label: row.label,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export interface TokenStoreOptions {
  /** Compares two equal-length hashes; constant-time by default (tests pass a spy of it). */
  compare?: (a: Buffer, b: Buffer) => boolean;
}

export function createTokenStore(db: Database.Database, now: () => number, options: TokenStoreOptions = {}): TokenStore {
  const compare = options.compare ?? timingSafeEqual;
  const columns = 'id, profile_id, label, created_at, last_used_at, revoked_at';
  const insert = db.prepare('INSERT INTO access_tokens (id, profile_id, token_hash, label, created_at) VALUES (?, ?, ?, ?, ?)');
  const selectOne = db.prepare<[string], TokenRow>(`SELECT ${columns} FROM access_tokens WHERE id = ?`);
  const selectAll = db.prepare<[], TokenRow>(`SELECT ${columns} FROM access_tokens ORDER BY created_at DESC, rowid DESC`);
  const selectActive = db.prepare<[], HashRow>('SELECT id, profile_id, token_hash FROM access_tokens WHERE revoked_at IS NULL');
  const selectByPrefix = db.prepare<[{ prefix: string }], { id: string }>(
    "SELECT id FROM access_tokens WHERE substr(id, 1, length(:prefix)) = :prefix ORDER BY id",
  );
  const touch = db.prepare('UPDATE access_tokens SET last_used_at = ? WHERE id = ?');
  const markRevoked = db.prepare('UPDATE access_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const selectActiveIds = db.prepare<[], string>('SELECT id FROM access_tokens WHERE revoked_at IS NULL').pluck();
  const anyActive = db.prepare<[], { found: number }>('SELECT 1 AS found FROM access_tokens WHERE revoked_at IS NULL LIMIT 1');

  // Every active hash is compared in constant time with no early exit, so the answer's timing
  // says nothing about how close a guess came or which token matched.
  const identify = (token: string): { id: string; profileId: string } | undefined => {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const presented = sha256(token);
    let match: HashRow | undefined;
    for (const row of selectActive.all()) {
      const stored = Buffer.from(row.token_hash, 'hex');
      if (stored.length === presented.length && compare(stored, presented)) match ??= row;
    }
    if (!match) return undefined;
    touch.run(now(), match.id);
    return { id: match.id, profileId: match.profile_id };
  };

  const get = (id: string): AccessTokenRecord => {
    const row = selectOne.get(id);
    if (!row) throw new Error(`access token ${id} vanished while in use`);
    return toRecord(row);
  };

  return {
    create(profileId, label = '') {
      if (!isValidProfileId(profileId)) throw new RangeError(`invalid profile id '${profileId}': ${PROFILE_ID_RULE}`);
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const id = randomBytes(ID_BYTES).toString('hex');
      insert.run(id, profileId, sha256(token).toString('hex'), label.slice(0, MAX_LABEL_CHARS), now());
      return { token, record: get(id) };
    },

    verify: (token) => identify(token)?.profileId,
    identify,

    activeIds() {
      return new Set(selectActiveIds.all());
    },

    list() {
      return selectAll.all().map(toRecord);
    },

    revoke(idOrPrefix) {
      const wanted = idOrPrefix.trim().toLowerCase();
      const exact = selectOne.get(wanted);
      const matches = exact ? [exact.id] : wanted.length >= MIN_PREFIX ? selectByPrefix.all({ prefix: wanted }).map((row) => row.id) : [];
      if (matches.length === 0) return { status: 'unknown' };
      if (matches.length > 1) return { status: 'ambiguous', matches };
      const id = matches[0]!;
      const changed = markRevoked.run(now(), id).changes > 0;
      return { status: changed ? 'revoked' : 'already_revoked', token: get(id) };
    },

    hasActive() {
      return anyActive.get() !== undefined;
    },
  };
}
