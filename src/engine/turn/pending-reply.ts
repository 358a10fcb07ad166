/**
 * Holds a session's reply slot while a turn waits for retrieval (a query embedding), so a
 * second prompt in the meantime is refused as "still streaming", and /cancel or shutdown reach
 * the turn. The reply stream replaces it in the profile once it starts.
 */
import type { ActiveReply } from '../profile.ts';

export class PendingReply implements ActiveReply {
  readonly finished: Promise<void>;
  private readonly controller = new AbortController();
  private settle: (done: Promise<void>) => void = () => {};

  constructor(readonly sessionId: string) {
    this.finished = new Promise<void>((resolve) => {
      this.settle = (done) => void done.then(resolve, resolve);
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  cancel(): void {
    this.controller.abort();
  }

  catchUp(): [] {
    return [];
  }

  /** The real reply started (or the turn ended without one): `finished` follows it. */
  handOver(done: Promise<void>): void {
    this.settle(done);
  }
}
