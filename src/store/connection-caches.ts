import type Database from 'better-sqlite3';

/**
 * When one connection's caches (recent messages, search word counts) must forget: a
 * transaction rolled back (its writes were mirrored into them), a session was created or deleted
 * (its rows come and go with it, by cascade), or another connection committed — another
 * process on the same file included. `PRAGMA data_version` changes exactly when another
 * connection commits, so checking it before reading a cache costs one tiny statement.
 */
export class ConnectionCaches {
  private readonly resets: Array<() => void> = [];
  private readonly sessionListeners: Array<(sessionId: string) => void> = [];
  private readonly dataVersion: Database.Statement<[], number>;
  private seenVersion: number;

  constructor(db: Database.Database) {
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.seenVersion = this.dataVersion.get() ?? 0;
  }

  /** `reset` runs whenever everything must be forgotten. */
  onReset(reset: () => void): void {
    this.resets.push(reset);
  }

  /** `forget` runs when a session's rows changed outside the store that caches them. */
  onSessionChanged(forget: (sessionId: string) => void): void {
    this.sessionListeners.push(forget);
  }

  /** Before reading a cache: forgets everything if another connection committed since the last check. */
  checkOthers(): void {
    const version = this.dataVersion.get() ?? 0;
    if (version === this.seenVersion) return;
    this.seenVersion = version;
    this.reset();
  }

  reset(): void {
    for (const reset of this.resets) reset();
  }

  sessionChanged(sessionId: string): void {
    for (const forget of this.sessionListeners) forget(sessionId);
  }
}
