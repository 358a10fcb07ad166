/** Checks an outgoing event against the wire contract, as a strict client would parse it. */
import { isDeepStrictEqual } from 'node:util';
import { encodeServerEvent, KnownMetadata, parseServerFrame, type AnyServerEvent } from '../../protocol/index.ts';

/** A description of what is wrong with `event`, or undefined when it fits the protocol. */
export function eventProblem(event: AnyServerEvent): string | undefined {
  if (typeof event.content !== 'string') return `${event.event}: content is not a string`;
  if (typeof event.metadata !== 'object' || event.metadata === null) return `${event.event}: metadata is not an object`;
  // JSON drops `undefined`; a value that does not survive the trip was not wire-clean.
  const wire = encodeServerEvent(event);
  if (!isDeepStrictEqual(JSON.parse(wire), { event: event.event, payload: { content: event.content, metadata: event.metadata } })) {
    return `${event.event}: does not survive JSON encoding unchanged (undefined or non-JSON values)`;
  }
  const known = KnownMetadata.safeParse(event.metadata);
  if (!known.success) return `${event.event}: known metadata key has the wrong type: ${known.error.issues[0]?.path.join('.')}`;
  const parsed = parseServerFrame(wire);
  if (!parsed.ok) return parsed.error;
  return undefined;
}
