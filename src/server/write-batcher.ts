/**
 * Batches the clients' writes per turn of the event loop. The first frame a client gets in a
 * turn leaves at once: a reply's chunk is not held behind whatever else the turn does (storing
 * a finished reply, starting another client's turn). Further frames to that client in the same
 * turn (a reply's chunks when the engine is behind, a chunk and its `chat_end`) are corked and
 * leave together in one `writev` when the turn ends, instead of one each. One immediate per
 * turn serves every client of the server; work that may take long (starting the next received
 * frame, `FrameScheduler`) flushes first.
 */

/** The connection under a WebSocket: its writes can be corked, so frames sent in one go leave in one write. */
export interface CorkableStream {
  cork(): void;
  uncork(): void;
}

export class WriteBatcher {
  /** Connections that got a frame in this turn. */
  private readonly written = new Set<CorkableStream>();
  /** Those of them corked since, for a second frame. */
  private readonly held = new Set<CorkableStream>();
  private scheduled = false;

  /** Call before writing a frame to `connection`. */
  hold(connection: CorkableStream): void {
    if (this.held.has(connection)) return;
    if (this.written.has(connection)) {
      connection.cork();
      this.held.add(connection);
      return;
    }
    this.written.add(connection);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  /** Writes out everything held now; the next frame to each connection leaves at once again. */
  readonly flush = (): void => {
    this.scheduled = false;
    for (const connection of this.held) connection.uncork();
    this.held.clear();
    this.written.clear();
  };
}
