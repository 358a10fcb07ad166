/**
 * One WebSocket client: parse each frame at the edge, hand prompts to the engine in order,
 * send the engine's events back. A bad frame gets a `✗` notice; the socket stays open.
 */
import { WebSocket, type RawData } from 'ws';
import type { EngineApi } from '../engine/api.ts';
import type { Logger } from '../engine/ports.ts';
import { encodeServerEvent, parseClientFrame, type AnyServerEvent } from '../protocol/index.ts';
import type { FrameScheduler } from './frame-scheduler.ts';
import type { CorkableStream, WriteBatcher } from './write-batcher.ts';

export interface ClientLimits {
  /** Unsent bytes a client may fall behind by before it is disconnected as a slow reader. */
  maxBufferedBytes: number;
  /** Received frames waiting for the engine before the socket stops reading (backpressure). */
  maxPendingFrames: number;
}

export const CLOSE_SLOW_READER = 1013;
const SLOW_READER_REASON = 'slow reader: too much unsent data, reconnect to resume';
const BINARY_NOTICE = '✗ Binary frames are not supported: send a UTF-8 text frame like {"prompt": "..."}.';
const INTERNAL_ERROR_NOTICE = '✗ Internal error while handling that prompt; the engine log has details.';

const notice = (content: string): AnyServerEvent => ({ event: 'system_update', content, metadata: {} });

interface Frame {
  data: RawData;
  isBinary: boolean;
}

/** What the clients of one server share. */
export interface ClientsShared {
  encode: FrameEncoder;
  scheduler: FrameScheduler;
  writes: WriteBatcher;
}

export type FrameEncoder = (event: AnyServerEvent) => Buffer;

/**
 * Encodes an event once however many clients it goes to: a broadcast hands the same event object
 * to each client in turn, so remembering the last one is enough. Events are never changed once
 * sent (the engine builds a new one for each send).
 */
export function frameEncoder(): FrameEncoder {
  let last: AnyServerEvent | undefined;
  let frame = Buffer.alloc(0);
  return (event) => {
    if (event !== last) {
      frame = Buffer.from(encodeServerEvent(event), 'utf8');
      last = event;
    }
    return frame;
  };
}

const TEXT_FRAME = { binary: false };

export function attachClient(
  socket: WebSocket,
  engine: EngineApi,
  profileId: string,
  logger: Logger,
  limits: ClientLimits,
  shared: ClientsShared,
  transport?: CorkableStream,
): void {
  const holdWrites = transport ? () => shared.writes.hold(transport) : () => {};
  const send = (event: AnyServerEvent): void => {
    if (socket.readyState !== WebSocket.OPEN) return;
    try {
      holdWrites();
      socket.send(shared.encode(event), TEXT_FRAME);
    } catch (error) {
      logger.warn('could not send to client', { error });
      return;
    }
    if (socket.bufferedAmount <= limits.maxBufferedBytes) return;
    logger.warn('disconnecting a slow client', { profileId, bufferedBytes: socket.bufferedAmount });
    socket.close(CLOSE_SLOW_READER, SLOW_READER_REASON);
  };

  const connection = engine.connect(profileId, { send });
  const queue: Frame[] = [];
  let draining = false;
  let closed = false;

  const handle = async ({ data, isBinary }: Frame): Promise<void> => {
    if (isBinary) return send(notice(BINARY_NOTICE));
    const parsed = parseClientFrame(rawText(data));
    if (!parsed.ok) return send(notice(parsed.error));
    try {
      await connection.handlePrompt(parsed.prompt);
    } catch (error) {
      logger.error('prompt handling failed', { profileId, error });
      send(notice(INTERNAL_ERROR_NOTICE));
    }
  };

  // Frames run one at a time in arrival order, each when the server's scheduler gives it its
  // turn (one frame per turn of the event loop across all clients, so a burst of prompts does
  // not hold the replies already streaming). handlePrompt resolves once a reply has started
  // streaming, so `/cancel` behind a story turn is read while the reply streams.
  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    for (let frame = queue.shift(); frame; frame = queue.shift()) {
      await shared.scheduler.turn();
      await handle(frame);
      if (socket.isPaused && queue.length < limits.maxPendingFrames / 2) socket.resume();
    }
    draining = false;
    if (closed) connection.close();
  };

  socket.on('message', (data, isBinary) => {
    queue.push({ data, isBinary });
    if (queue.length >= limits.maxPendingFrames) socket.pause();
    void drain();
  });
  socket.on('error', (error) => logger.warn('client socket error', { profileId, error: error.message }));
  socket.on('close', () => {
    closed = true;
    // Frames already received are still handled (nothing the player wrote is lost).
    if (!draining) connection.close();
  });
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
