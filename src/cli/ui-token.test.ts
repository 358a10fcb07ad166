import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../store/sqlite-store.ts';
import { issueUiToken, UI_TOKEN_LABEL } from './ui-token.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flower-ui-token-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the one-off token of a UI that start opens off loopback', () => {
  it('is a real token of the default profile until revoked, labelled so `token list` tells it apart', async () => {
    const database = join(dir, 'flower.db');
    const issued = await issueUiToken(database);
    const store = createSqliteStore(database);
    try {
      expect(store.tokens?.verify(issued.token)).toBe('default');
      expect(store.tokens?.list()).toMatchObject([{ id: issued.id, profileId: 'default', label: UI_TOKEN_LABEL, revokedAt: null }]);
      issued.revoke();
      expect(store.tokens?.verify(issued.token)).toBeUndefined();
      expect(store.tokens?.hasActive()).toBe(false);
    } finally {
      store.close();
    }
  });
});
