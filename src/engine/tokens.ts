import { createRequire } from 'node:module';
import type * as GptTokenizer from 'gpt-tokenizer';

/**
 * gpt-tokenizer's encoding tables (o200k) take about a third of a second and 60 MB to load, so
 * they load at the first count (a turn or a summary), not when the engine starts. The load is
 * synchronous (its CommonJS build through `require`), so every function here stays a plain
 * function. The loaded module is kept, like an import: calling `require` per count costs tens of
 * microseconds whenever another module required the package first.
 */
type Tokenizer = Pick<typeof GptTokenizer, 'countTokens' | 'encode' | 'decode'>;
const requireModule = createRequire(import.meta.url);
const tokenizer = loadOnFirstUse(() => requireModule('gpt-tokenizer') as Tokenizer);

function loadOnFirstUse<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/** `<|endoftext|>` written by a player or a narrator is text, not a control token (gpt-tokenizer would throw). */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Estimated token count of `text` (o200k), for when a provider reports no usage. */
export function estimateTokens(text: string): number {
  if (text === '') return 0;
  return tokenizer().countTokens(text, PLAIN_TEXT);
}

/** The token ids of `text`, from the same encoding `estimateTokens` counts with. */
export function encodeTokens(text: string): number[] {
  return tokenizer().encode(text, PLAIN_TEXT);
}

/** The text of token ids from `encodeTokens`. */
export function decodeTokens(tokens: Iterable<number>): string {
  return tokenizer().decode(tokens);
}

/** A provider-reported count when it is a usable number, else the estimate. */
export function replyTokens(reported: number | undefined, text: string): number {
  if (reported !== undefined && Number.isInteger(reported) && reported >= 0) return reported;
  return estimateTokens(text);
}

/** Counts tokens as `estimateTokens` does; prompt assembly takes one so a cache can be passed in. */
export interface TokenCounter {
  count(text: string): number;
}

/** No cache: every call tokenizes. */
export const uncachedTokens: TokenCounter = { count: estimateTokens };

export interface TokenCacheLimits {
  /** Texts remembered at most. */
  maxEntries?: number;
  /** Characters of remembered text at most (the keys are held). */
  maxChars?: number;
  /** Shorter texts are counted directly: tokenizing them costs about what a lookup does. */
  minLength?: number;
}

/**
 * `estimateTokens` remembered per text, least recently used first out (approximately: a hit
 * moves a text to the newest end only once it has drifted into the older half, since moving it
 * on every hit costs more than the lookup). Keyed by the whole text, so a hit is the exact count
 * a fresh tokenization would give: history messages and the stable sections are tokenized once
 * instead of on every turn. One per engine, never module-level.
 */
export class CachedTokenCounter implements TokenCounter {
  private readonly counts = new Map<string, { tokens: number; stamp: number }>();
  /** Bumped on every insertion; an entry's stamp says how new it is. */
  private stamp = 0;
  private chars = 0;
  private readonly maxEntries: number;
  private readonly maxChars: number;
  private readonly minLength: number;

  constructor(limits: TokenCacheLimits = {}) {
    this.maxEntries = limits.maxEntries ?? 8_192;
    this.maxChars = limits.maxChars ?? 8_000_000;
    this.minLength = limits.minLength ?? 32;
  }

  count(text: string): number {
    if (text.length < this.minLength || text.length > this.maxChars) return estimateTokens(text);
    const known = this.counts.get(text);
    if (known !== undefined) {
      // Map order is insertion order: re-inserting moves the text to the newest end.
      if (this.stamp - known.stamp > this.maxEntries / 2) {
        this.counts.delete(text);
        known.stamp = ++this.stamp;
        this.counts.set(text, known);
      }
      return known.tokens;
    }
    const tokens = estimateTokens(text);
    this.counts.set(text, { tokens, stamp: ++this.stamp });
    this.chars += text.length;
    this.evict();
    return tokens;
  }

  get size(): number {
    return this.counts.size;
  }

  /** Whether `text`'s count is remembered. */
  has(text: string): boolean {
    return this.counts.has(text);
  }

  private evict(): void {
    for (const oldest of this.counts.keys()) {
      if (this.counts.size <= this.maxEntries && this.chars <= this.maxChars) return;
      this.counts.delete(oldest);
      this.chars -= oldest.length;
    }
  }
}
