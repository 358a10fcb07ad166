/**
 * `flower token create|list|revoke`: access tokens for sharing an engine beyond this machine.
 * A token is printed once at creation; the database keeps only its hash, so `list` can show
 * everything about a token except the token.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolvePaths } from '../../config/paths.ts';
import type { AccessTokenRecord, Store, TokenStore } from '../../engine/ports.ts';
import { isValidProfileId, PROFILE_ID_RULE } from '../../engine/profile-id.ts';
import { DEFAULT_PORT, RPC_PATH } from '../../protocol/transport.ts';
import { StoreError } from '../../store/errors.ts';
import { createSqliteStore } from '../../store/sqlite-store.ts';

const MAX_LABEL_CHARS = 200;

export interface TokenCommandDeps {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
  /** Opens the store at the data dir's database; the real SQLite store by default. */
  openStore?(databasePath: string): Store;
}

export interface DataDirOption {
  dataDir?: string;
}

export interface CreateOptions extends DataDirOption {
  label?: string;
  host?: string;
  port?: string;
}

/** Runs `work` on the data dir's token store; any failure becomes one `✗` line and exit 1. */
function withTokens(options: DataDirOption, deps: TokenCommandDeps, work: (tokens: TokenStore) => number): number {
  const paths = resolvePaths({ dataDir: options.dataDir }, deps.env);
  let store: Store;
  try {
    mkdirSync(paths.dataDir, { recursive: true });
    store = (deps.openStore ?? createSqliteStore)(paths.database);
  } catch (error) {
    deps.err(`✗ ${errorText(error)}`);
    return 1;
  }
  try {
    if (!store.tokens) {
      deps.err('✗ This store has no access tokens.');
      return 1;
    }
    return work(store.tokens);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    deps.err(`✗ ${error.message}`);
    return 1;
  } finally {
    store.close();
  }
}

export function runTokenCreate(profileId: string, options: CreateOptions, deps: TokenCommandDeps): number {
  if (!isValidProfileId(profileId)) {
    deps.err(`✗ Invalid profile id '${profileId}': ${PROFILE_ID_RULE}.`);
    return 1;
  }
  const label = options.label ?? '';
  if (Array.from(label).length > MAX_LABEL_CHARS || /\p{Cc}/u.test(label)) {
    deps.err(`✗ Invalid label: a label is one line of at most ${MAX_LABEL_CHARS} characters.`);
    return 1;
  }
  const port = options.port ?? String(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    deps.err(`✗ --port must be a whole number from 1 to 65535, not "${port}".`);
    return 1;
  }
  return withTokens(options, deps, (tokens) => {
    const { token, record } = tokens.create(profileId, label);
    const host = options.host ?? hostname();
    const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}${RPC_PATH}?token=${encodeURIComponent(token)}`;
    deps.out(`✓ Created access token ${record.id} for profile ${profileId}${label ? ` (${label})` : ''}.`);
    deps.out('');
    deps.out(`  ${token}`);
    deps.out('');
    deps.out('This is the only time it is shown: Flower stores only its hash. Give it to the player privately.');
    deps.out(`Connect with (use the address players reach this machine at if it is not ${host}):`);
    deps.out(`  ${url}`);
    deps.out(`  npm start -- tui --url '${url}'`);
    deps.out(`Revoke it with: flower token revoke ${record.id}`);
    return 0;
  });
}

export function runTokenList(options: DataDirOption, deps: TokenCommandDeps): number {
  return withTokens(options, deps, (tokens) => {
    const list = tokens.list();
    if (list.length === 0) {
      deps.out('No access tokens yet. Create one with: flower token create <profile> [--label <label>]');
      return 0;
    }
    for (const line of table(list)) deps.out(line);
    return 0;
  });
}

export function runTokenRevoke(id: string, options: DataDirOption, deps: TokenCommandDeps): number {
  return withTokens(options, deps, (tokens) => {
    const result = tokens.revoke(id);
    switch (result.status) {
      case 'revoked':
        deps.out(`✓ Revoked token ${result.token.id} (profile ${result.token.profileId}). New connections with it are refused; a running engine closes the ones open with it within 10 s.`);
        return 0;
      case 'already_revoked':
        deps.out(`✓ Token ${result.token.id} (profile ${result.token.profileId}) was already revoked on ${formatTime(result.token.revokedAt)}.`);
        return 0;
      case 'ambiguous':
        deps.err(`✗ '${id}' matches several tokens: ${result.matches.join(', ')}. Give more of the id.`);
        return 1;
      case 'unknown':
        deps.err(`✗ No token with id '${id}' (ids are 12 hex digits; a prefix of at least 4 works). See: flower token list`);
        return 1;
    }
  });
}

function table(list: AccessTokenRecord[]): string[] {
  const header = ['ID', 'PROFILE', 'LABEL', 'CREATED', 'LAST USED', 'REVOKED'];
  const rows = list.map((t) => [t.id, t.profileId, t.label || '-', formatTime(t.createdAt), formatTime(t.lastUsedAt, 'never'), formatTime(t.revokedAt, '-')]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => Array.from(row[column] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - Array.from(cell).length)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function formatTime(at: number | null, none = '-'): string {
  if (at === null) return none;
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
