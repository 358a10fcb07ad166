import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RevokeResult, Store, TokenStore } from '../../engine/ports.ts';
import { createSqliteStore } from '../../store/sqlite-store.ts';
import { runTokenCreate, runTokenList, runTokenRevoke, type TokenCommandDeps } from './token.ts';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tempDataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'flower-token-cli-'));
  dirs.push(dir);
  return join(dir, 'data');
};

/** The real CLI in a child process, with its data dir from FLOWER_DATA_DIR. */
function cli(dataDir: string, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const env = { ...process.env, FLOWER_DATA_DIR: dataDir, NO_COLOR: '1' };
  return new Promise((done) => {
    execFile(process.execPath, ['--import', tsxLoader, join(root, 'src', 'cli.ts'), ...args], { env, encoding: 'utf8', timeout: 60_000 }, (error, out, err) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, out, err });
    });
  });
}

const TOKEN = /flw_[A-Za-z0-9_-]{43}/g;

describe('flower token (child process, real database)', { timeout: 120_000 }, () => {
  it('create prints a token once with how to connect; list never shows it; revoke works', async () => {
    const dataDir = tempDataDir();
    const created = await cli(dataDir, 'token', 'create', 'alice', '--label', 'Alice laptop', '--host', '192.168.1.20', '--port', '8123');
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    const token = created.out.match(TOKEN)?.[0] ?? '';
    expect(token).not.toBe('');
    const id = /Created access token ([0-9a-f]{12}) for profile alice \(Alice laptop\)/.exec(created.out)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(created.out).toContain(`ws://192.168.1.20:8123/ws/rpc?token=${token}`);
    expect(created.out).toContain(`npm start -- tui --url 'ws://192.168.1.20:8123/ws/rpc?token=${token}'`);
    expect(created.out).toMatch(/only time it is shown/);

    const listed = await cli(dataDir, 'token', 'list');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^ID +PROFILE +LABEL +CREATED +LAST USED +REVOKED$/m);
    expect(listed.out).toMatch(new RegExp(`^${id} +alice +Alice laptop +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC +never +-$`, 'm'));
    expect(listed.out.match(TOKEN)).toBeNull();
    expect(listed.out).not.toContain(token.slice(4, 20));

    const store = createSqliteStore(join(dataDir, 'flower.db'));
    expect(store.tokens?.verify(token)).toBe('alice');
    store.close();

    const revoked = await cli(dataDir, 'token', 'revoke', id.slice(0, 6));
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain(`✓ Revoked token ${id} (profile alice). New connections with it are refused; a running engine closes the ones open with it within 10 s.`);
    expect((await cli(dataDir, 'token', 'list')).out).toMatch(new RegExp(`^${id} +alice +Alice laptop .* UTC +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`, 'm'));

    const reopened = createSqliteStore(join(dataDir, 'flower.db'));
    expect(reopened.tokens?.verify(token)).toBeUndefined();
    reopened.close();
  });

  it('refuses a bad profile id and an unknown id with a ✗ and exit 1', async () => {
    const dataDir = tempDataDir();
    const bad = await cli(dataDir, 'token', 'create', 'not valid!');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("✗ Invalid profile id 'not valid!': profile ids are 1 to 64 letters, digits, _ or -.");
    expect(bad.out).toBe('');
    const unknown = await cli(dataDir, 'token', 'revoke', 'abcdef');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^✗ No token with id 'abcdef'/);
  });

  it('--data-dir wins over FLOWER_DATA_DIR', async () => {
    const envDir = tempDataDir();
    const flagDir = tempDataDir();
    expect((await cli(envDir, 'token', 'create', 'bob', '--data-dir', flagDir)).code).toBe(0);
    expect((await cli(envDir, 'token', 'list', '--data-dir', flagDir)).out).toMatch(/ bob /);
    expect((await cli(envDir, 'token', 'list')).out).toMatch(/^No access tokens yet/);
  });
});

describe('token commands in process', () => {
  function deps(dataDir: string) {
    const out: string[] = [];
    const err: string[] = [];
    const d: TokenCommandDeps = { env: { FLOWER_DATA_DIR: dataDir }, out: (l) => out.push(l), err: (l) => err.push(l) };
    return { d, out, err };
  }

  it('refuses a multi-line or overlong label and a bad --port before touching the database', () => {
    const dataDir = tempDataDir();
    const { d, err } = deps(dataDir);
    expect(runTokenCreate('alice', { label: 'a\nb' }, d)).toBe(1);
    expect(runTokenCreate('alice', { label: 'x'.repeat(201) }, d)).toBe(1);
    expect(runTokenCreate('alice', { port: '99999' }, d)).toBe(1);
    expect(err).toEqual([
      '✗ Invalid label: a label is one line of at most 200 characters.',
      '✗ Invalid label: a label is one line of at most 200 characters.',
      '✗ --port must be a whole number from 1 to 65535, not "99999".',
    ]);
    expect(runTokenList({}, deps(dataDir).d)).toBe(0);
  });

  it('says so when a prefix matches several tokens, and when a token was already revoked', () => {
    const record = { id: 'abcd00000001', profileId: 'alice', label: '', createdAt: 0, lastUsedAt: null, revokedAt: Date.UTC(2026, 0, 2, 3, 4) };
    const answers: RevokeResult[] = [{ status: 'ambiguous', matches: ['abcd00000001', 'abcd00000002'] }, { status: 'already_revoked', token: record }];
    let closed = 0;
    const tokens = { revoke: () => answers.shift()! } as unknown as TokenStore;
    const store = { tokens, close: () => closed++ } as unknown as Store;
    const { d, out, err } = deps(tempDataDir());
    d.openStore = () => store;
    expect(runTokenRevoke('abcd', {}, d)).toBe(1);
    expect(err).toEqual(["✗ 'abcd' matches several tokens: abcd00000001, abcd00000002. Give more of the id."]);
    expect(runTokenRevoke('abcd00000001', {}, d)).toBe(0);
    expect(out).toEqual(['✓ Token abcd00000001 (profile alice) was already revoked on 2026-01-02 03:04 UTC.']);
    expect(closed).toBe(2);
  });

  it('turns a database that cannot be opened into one ✗ line', () => {
    const file = join(tempDataDir(), '..', 'a-file');
    writeFileSync(file, 'not a folder');
    const { d, err } = deps(join(file, 'data'));
    expect(runTokenList({}, d)).toBe(1);
    expect(err[0]).toMatch(/^✗ /);
  });
});
