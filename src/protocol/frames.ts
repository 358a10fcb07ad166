import { z } from 'zod';
import { Envelope } from './envelope.ts';
import { eventSchemas, type AnyServerEvent, type EventName } from './events.ts';

/** Largest frame the server reads; larger ones are refused. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Client to server: `{"prompt": "..."}`; extra keys are allowed for newer clients. */
export const ClientFrame = z.object({ prompt: z.string() }).passthrough();
export type ClientFrame = z.infer<typeof ClientFrame>;

export type ParsedClientFrame = { ok: true; prompt: string; frame: ClientFrame } | { ok: false; error: string };

/** A text frame that is not JSON is the prompt itself (protocol.md, Transport). */
export function parseClientFrame(text: string): ParsedClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: true, prompt: text, frame: { prompt: text } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    // A bare JSON string or number typed by a person is still a prompt.
    if (typeof value === 'string' || typeof value === 'number') return { ok: true, prompt: text, frame: { prompt: text } };
    return { ok: false, error: '✗ Malformed frame: expected a JSON object like {"prompt": "..."}.' };
  }
  const parsed = ClientFrame.safeParse(value);
  if (!parsed.success) {
    return { ok: false, error: '✗ Malformed frame: "prompt" must be a string, as in {"prompt": "..."}.' };
  }
  return { ok: true, prompt: parsed.data.prompt, frame: parsed.data };
}

export function encodeClientFrame(prompt: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, prompt });
}

/** Server to client: always `{event, payload: {content, metadata}}`. */
export function encodeServerEvent(event: AnyServerEvent): string {
  return JSON.stringify({ event: event.event, payload: { content: event.content, metadata: event.metadata } });
}

/**
 * Parses a server frame on the client side. Known events get their metadata checked; a frame
 * that does not fit is reported, not thrown, so one bad frame never stops a client.
 */
export function parseServerFrame(text: string): { ok: true; event: AnyServerEvent } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'frame is not JSON' };
  }
  const envelope = Envelope.safeParse(value);
  if (!envelope.success) return { ok: false, error: `frame is not an event envelope: ${envelope.error.issues[0]?.message ?? ''}` };
  const { event, payload } = envelope.data;
  const schema = (eventSchemas as Record<string, (typeof eventSchemas)[EventName]>)[event];
  if (!schema) return { ok: true, event: { event, content: payload.content, metadata: payload.metadata } };
  const metadata = schema.safeParse(payload.metadata);
  if (!metadata.success) return { ok: false, error: `${event} metadata does not fit: ${metadata.error.issues[0]?.path.join('.') ?? ''}` };
  return { ok: true, event: { event, content: payload.content, metadata: metadata.data } as AnyServerEvent };
}
