import type { Migration } from './migration.ts';

/**
 * Access tokens for sharing an engine. Only the SHA-256 of a token is kept, so a copy of the
 * database does not let anyone connect. The CHECKs repeat the profile id rule so a hand-edited
 * row cannot name a profile the engine would refuse.
 */
export const accessTokens: Migration = {
  version: 3,
  name: 'access_tokens',
  up: `
CREATE TABLE access_tokens (
  id           TEXT PRIMARY KEY,
  profile_id   TEXT NOT NULL CHECK (
    length(profile_id) BETWEEN 1 AND 64 AND profile_id NOT GLOB '*[^A-Za-z0-9_-]*'
  ),
  token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
  label        TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
) STRICT;
`,
};
