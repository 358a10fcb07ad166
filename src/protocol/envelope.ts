import { z } from 'zod';

/** A list entry as the original client expects it: `{id, name}`. */
export const NamedItem = z.object({ id: z.string(), name: z.string() });
export type NamedItem = z.infer<typeof NamedItem>;

/** Prices are USD per million tokens. Extra keys (provider, context_length) are additive. */
export const ModelItem = z.object({
  id: z.string(),
  name: z.string(),
  prompt_price: z.number(),
  completion_price: z.number(),
  provider: z.string().optional(),
  context_length: z.number().int().positive().optional(),
});
export type ModelItem = z.infer<typeof ModelItem>;

/**
 * One message of `chat_history`. Additive keys (newer engines): `id` (the stored message id),
 * `n` (its 1-based number as `/edit N` and `/delete N` take it), and for a reply with
 * alternatives `swipe_index` (0-based, the chosen one) and `swipe_count`.
 */
export const HistoryEntry = z.object({
  role: z.string(),
  content: z.string(),
  id: z.number().int().optional(),
  n: z.number().int().positive().optional(),
  swipe_index: z.number().int().nonnegative().optional(),
  swipe_count: z.number().int().positive().optional(),
  /** Additive: a reasoning model's thinking for this reply (only the newest replies carry it). */
  reasoning: z.string().optional(),
  /** Additive: hidden from the narrator by `/hide` (still part of the story); absent when shown. */
  hidden: z.boolean().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/**
 * Every metadata key that has a fixed type on the wire (protocol.md). The original client
 * drops a frame whose known key carries another type, so every outgoing frame must fit this.
 * Unknown keys pass through: new keys may be added freely.
 */
export const KnownMetadata = z
  .object({
    model: z.string(),
    model_confirmed: z.boolean(),
    tokens_per_second: z.number(),
    world_id: z.string(),
    character_id: z.string(),
    session_id: z.string(),
    status: z.string(),
    total_tokens: z.number().int().nonnegative(),
    available_worlds: z.array(NamedItem),
    available_characters: z.array(NamedItem),
    available_rules: z.array(NamedItem),
    available_sessions: z.array(NamedItem),
    available_models: z.array(ModelItem),
    active_rules: z.array(z.string()),
    history: z.array(HistoryEntry),
  })
  .partial()
  .passthrough();
export type KnownMetadata = z.infer<typeof KnownMetadata>;

export const Envelope = z.object({
  event: z.string(),
  payload: z.object({ content: z.string(), metadata: KnownMetadata }),
});
export type Envelope = z.infer<typeof Envelope>;
