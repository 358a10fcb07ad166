/** Builders for the events the engine sends; each shape comes from the protocol schemas. */
import type {
  ChatChunkMetadata,
  ChatEndMetadata,
  HistoryEntry,
  ServerEvent,
  SyncStateMetadata,
  SystemUpdateMetadata,
} from '../protocol/index.ts';

export const systemUpdate = (content: string, metadata: SystemUpdateMetadata = {}): ServerEvent => ({
  event: 'system_update',
  content,
  metadata,
});

export const syncStateEvent = (metadata: SyncStateMetadata): ServerEvent => ({
  event: 'sync_state',
  content: 'State synchronized',
  metadata,
});

export const chatHistoryEvent = (history: HistoryEntry[]): ServerEvent => ({
  event: 'chat_history',
  content: '',
  metadata: { history },
});

export const chatChunk = (text: string, metadata: ChatChunkMetadata): ServerEvent => ({
  event: 'chat_chunk',
  content: text,
  metadata,
});

export const chatEnd = (metadata: ChatEndMetadata): ServerEvent => ({ event: 'chat_end', content: '', metadata });

export const errorEvent = (message: string, metadata: Record<string, unknown> = {}): ServerEvent => ({
  event: 'error',
  content: message,
  metadata,
});

/** Names up to `max` items for a `✗` answer, so a long model list stays readable. */
export function listNames(ids: readonly string[], max = 12): string {
  if (ids.length === 0) return 'none';
  const shown = ids.slice(0, max).join(', ');
  return ids.length > max ? `${shown} … and ${ids.length - max} more` : shown;
}

/** Echoes client text in an answer without echoing a megabyte back. */
export function shown(text: string, max = 80): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}
