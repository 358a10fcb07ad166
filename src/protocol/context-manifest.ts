import { z } from 'zod';

/**
 * What went into one story turn's prompt and what was left out, sent by `/context` under the
 * additive `system_update` metadata key `context_manifest` (issue 5). Token counts are the
 * engine's tokenizer estimate.
 */
export const ManifestBlockKind = z.enum([
  'base_rules',
  'rule',
  'world_prompt',
  'character',
  'constant_entry',
  'scene',
  'summary',
  'entry',
  'lore',
  'memory',
  'closing',
  'history',
  /** Additive: the session's author's note (`/note`), sent just before the player's message. */
  'note',
  'user_message',
]);
export type ManifestBlockKind = z.infer<typeof ManifestBlockKind>;

/** Where a block came from; which keys are set depends on the kind. */
export const ManifestSource = z
  .object({
    /** Rule id, entry id, world id or character id. */
    id: z.string(),
    /** The key that triggered a keyword entry. */
    key: z.string(),
    /** How an entry fired: `message`, `recursion`, `constant` or `decorator`. */
    trigger: z.string(),
    chunk_id: z.number().int(),
    memory_id: z.number().int(),
    /** History range (inclusive message ids), or what a summary covers. */
    from_message_id: z.number().int(),
    to_message_id: z.number().int(),
    message_count: z.number().int().nonnegative(),
  })
  .partial();
export type ManifestSource = z.infer<typeof ManifestSource>;

export const ManifestBlock = z.object({
  kind: ManifestBlockKind,
  /** A short readable name: the rule's name, the entry's comment, the start of a chunk. */
  label: z.string(),
  source: ManifestSource,
  tokens: z.number().int().nonnegative(),
  /** Shortened to fit the context. */
  truncated: z.boolean().optional(),
});
export type ManifestBlock = z.infer<typeof ManifestBlock>;

export const LeftOutReason = z.enum([
  /** Its budget (entries, lore, memories, summary, history) had no room left. */
  'budget',
  /** The request would have exceeded the model's context, so it was dropped by priority. */
  'context_full',
  /** A memory of an exchange that is in the recent history anyway. */
  'in_history',
]);
export type LeftOutReason = z.infer<typeof LeftOutReason>;

export const LeftOutBlock = ManifestBlock.omit({ truncated: true }).extend({ reason: LeftOutReason, detail: z.string() });
export type LeftOutBlock = z.infer<typeof LeftOutBlock>;

export const ContextManifest = z.object({
  session_id: z.string(),
  model: z.string(),
  created_at: z.number(),
  context_length: z.number().int().positive(),
  reply_budget: z.number().int().nonnegative(),
  /** Context length minus the reply budget: the most the request may take. */
  input_budget: z.number().int().nonnegative(),
  /** The whole request, messages and their framing. */
  total_tokens: z.number().int().nonnegative(),
  /** Token budget per kind of block for this turn. */
  budgets: z.record(z.string(), z.number().int().nonnegative()),
  /** In prompt order: the system message's blocks, then history, then the user message. */
  blocks: z.array(ManifestBlock),
  left_out: z.array(LeftOutBlock),
});
export type ContextManifest = z.infer<typeof ContextManifest>;

/** Additive event `embedding_progress`: background embedding of lore or memory (issue 5). */
export const EmbeddingProgressMetadata = z
  .object({ kind: z.string(), done: z.number().int().nonnegative(), total: z.number().int().nonnegative(), model: z.string() })
  .partial()
  .passthrough();
export type EmbeddingProgressMetadata = z.infer<typeof EmbeddingProgressMetadata>;
