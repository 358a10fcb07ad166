/**
 * Off loopback every client needs an access token, the UI on the engine's own machine too. When
 * `flower start` runs such an engine itself and was given no token, its UI gets a one-off token
 * for the `default` profile (the player at this terminal), revoked when the UI exits.
 */
import type { TokenStore } from '../engine/ports.ts';
import { DEFAULT_PROFILE_ID } from '../engine/profile-id.ts';

export const UI_TOKEN_LABEL = 'flower start: this terminal (revoked when it quits)';

export interface UiToken {
  token: string;
  id: string;
  /** Revokes the token; throws when the database cannot be written. */
  revoke(): void;
}

export type IssueUiToken = (databasePath: string) => Promise<UiToken>;

export const issueUiToken: IssueUiToken = async (databasePath) => {
  // Loaded here: only this path of `start` needs the store in the launcher's process.
  const { createSqliteStore } = await import('../store/sqlite-store.ts');
  const withTokens = <T>(work: (tokens: TokenStore) => T): T => {
    const store = createSqliteStore(databasePath);
    try {
      if (!store.tokens) throw new Error(`the store at ${databasePath} has no access tokens`);
      return work(store.tokens);
    } finally {
      store.close();
    }
  };
  const { token, record } = withTokens((tokens) => tokens.create(DEFAULT_PROFILE_ID, UI_TOKEN_LABEL));
  return {
    token,
    id: record.id,
    revoke: () => {
      withTokens((tokens) => tokens.revoke(record.id));
    },
  };
};
