/**
 * Starts the handling of received frames one per turn of the event loop, across all clients of
 * a server. A prompt can cost the engine milliseconds of synchronous work (storing, retrieval,
 * prompt assembly) before its reply streams; when many arrive at once, handling them back to
 * back would hold every reply already streaming for the sum of that work. One at a time, with
 * the event loop's I/O in between, streaming chunks wait at most for one frame's work.
 * Each client's own frames still start in the order they arrived (the client awaits each).
 */
export class FrameScheduler {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** `beforeStart` runs before each frame starts (the server writes out held frames there). */
  constructor(private readonly beforeStart: () => void = () => {}) {}

  /** Resolves when this frame's turn comes: at the earliest on the next turn of the event loop. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  get queued(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // An immediate queued while immediates run waits for the next loop turn, after its I/O.
    setImmediate(this.startOne);
  }

  private readonly startOne = (): void => {
    this.scheduled = false;
    const start = this.waiting.shift();
    if (start) {
      this.beforeStart();
      start();
    }
    this.schedule();
  };
}
