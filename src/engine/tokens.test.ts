import { countTokens, encode } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { CachedTokenCounter, decodeTokens, encodeTokens, estimateTokens } from './tokens.ts';

const texts = Array.from({ length: 200 }, (_, i) => `${'The lantern swings over the crossroads inn. '.repeat(1 + (i % 7))} #${i} 🌊 über`);

describe('the lazily loaded tokenizer', () => {
  it('counts, encodes and decodes exactly as gpt-tokenizer does', () => {
    for (const text of [...texts.slice(0, 20), 'a', '  \n\t', '日本語のテキスト']) {
      expect(estimateTokens(text)).toBe(countTokens(text));
      expect(encodeTokens(text)).toEqual(encode(text));
      expect(decodeTokens(encodeTokens(text))).toBe(text);
    }
    expect(estimateTokens('')).toBe(0);
  });

  it('takes special-token strings a player or narrator wrote as plain text instead of throwing', () => {
    const text = 'she wrote <|endoftext|> on the wall';
    expect(() => countTokens(text)).toThrow();
    expect(estimateTokens(text)).toBe(countTokens(text, { disallowedSpecial: new Set() }));
    expect(estimateTokens(text)).toBeGreaterThan(estimateTokens('she wrote  on the wall'));
    expect(decodeTokens(encodeTokens(text))).toBe(text);
  });
});

describe('CachedTokenCounter', () => {
  it('gives the exact count a fresh tokenization gives, on first sight and on hits', () => {
    const tokens = new CachedTokenCounter();
    for (const text of [...texts, ...texts]) expect(tokens.count(text)).toBe(estimateTokens(text));
    expect(tokens.count('')).toBe(0);
  });

  it('stays within its limits, least recently used out first, and still counts right after evicting', () => {
    const tokens = new CachedTokenCounter({ maxEntries: 10, minLength: 0 });
    for (const text of texts) tokens.count(text);
    expect(tokens.size).toBe(10);
    const byChars = new CachedTokenCounter({ maxChars: 2_000, minLength: 0 });
    for (const text of texts) expect(byChars.count(text)).toBe(estimateTokens(text));
    expect(byChars.size).toBeGreaterThan(0);
    expect(byChars.size).toBeLessThan(texts.length);
  });

  it('keeps a text that is used again and again while new texts come and go', () => {
    const tokens = new CachedTokenCounter({ maxEntries: 10, minLength: 0 });
    const kept = 'The stable system prompt, counted every turn.';
    const once = 'A text seen once, early.';
    tokens.count(once);
    tokens.count(kept);
    for (let turn = 0; turn < 100; turn++) {
      // Never evicted while in use: each turn finds it remembered.
      expect(tokens.has(kept)).toBe(true);
      tokens.count(kept);
      tokens.count(`new lore line ${turn}`);
    }
    expect(tokens.has(once)).toBe(false);
    expect(tokens.size).toBe(10);
  });
});
