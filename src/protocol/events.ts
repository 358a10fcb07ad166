import { z } from 'zod';
import { HistoryEntry, ModelItem, NamedItem } from './envelope.ts';
import { CommandSpec } from './commands.ts';
import { ContextManifest } from './context-manifest.ts';

/**
 * Each server event is defined once: its name and the schema of its metadata. Builders in
 * `build.ts` and the client's parser both derive from this table.
 */
export const SyncStateMetadata = z
  .object({
    model: z.string(),
    model_confirmed: z.boolean(),
    world_id: z.string(),
    character_id: z.string(),
    session_id: z.string(),
    available_worlds: z.array(NamedItem),
    available_characters: z.array(NamedItem),
    available_models: z.array(ModelItem),
    available_rules: z.array(NamedItem),
    active_rules: z.array(z.string()),
    available_sessions: z.array(NamedItem),
    /** Additive: the engine's command list, for client help and completion. */
    commands: z.array(CommandSpec).optional(),
    /** Additive: the active session's estimated cost so far in USD. */
    session_cost: z.number().nonnegative().optional(),
    /** Additive: sessions with their parent, for branch trees. */
    session_parents: z.record(z.string(), z.string()).optional(),
    /** Additive: the active session's author's note (`/note`); empty when it has none. */
    session_note: z.string().optional(),
  })
  .passthrough();
export type SyncStateMetadata = z.infer<typeof SyncStateMetadata>;

export const SystemUpdateMetadata = z
  .object({
    status: z.string(),
    model: z.string(),
    model_confirmed: z.boolean(),
    world_id: z.string(),
    character_id: z.string(),
    session_id: z.string(),
    active_rules: z.array(z.string()),
    /** Additive: the last turn's prompt manifest, answering `/context`. */
    context_manifest: ContextManifest,
    /** Additive: the session's author's note after `/note` changed it (empty once cleared). */
    session_note: z.string(),
  })
  .partial()
  .passthrough();
export type SystemUpdateMetadata = z.infer<typeof SystemUpdateMetadata>;

export const ChatHistoryMetadata = z.object({ history: z.array(HistoryEntry) }).passthrough();
export type ChatHistoryMetadata = z.infer<typeof ChatHistoryMetadata>;

export const ChatChunkMetadata = z
  .object({ model: z.string(), tokens_per_second: z.number(), world_id: z.string(), session_id: z.string() })
  .partial()
  .passthrough();
export type ChatChunkMetadata = z.infer<typeof ChatChunkMetadata>;

export const ChatEndMetadata = z
  .object({ total_tokens: z.number().int().nonnegative(), session_id: z.string().optional() })
  .passthrough();
export type ChatEndMetadata = z.infer<typeof ChatEndMetadata>;

export const ErrorMetadata = z.object({}).passthrough();

export const eventSchemas = {
  system_update: SystemUpdateMetadata,
  sync_state: SyncStateMetadata,
  chat_history: ChatHistoryMetadata,
  chat_chunk: ChatChunkMetadata,
  chat_end: ChatEndMetadata,
  error: ErrorMetadata,
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventMetadata<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;

/** A server event as the engine emits it and a client consumes it. */
export type ServerEvent = {
  [E in EventName]: { event: E; content: string; metadata: EventMetadata<E> };
}[EventName];

/** Additive events may be sent too; clients ignore names they do not know. */
export type AnyServerEvent = ServerEvent | { event: string; content: string; metadata: Record<string, unknown> };

export const eventNames = Object.keys(eventSchemas) as EventName[];
