import { describe, expect, it } from 'vitest';
import { CachedTokenCounter, estimateTokens } from './tokens.ts';

const texts = Array.from({ length: 200 }, (_, i) => `${'The lantern swings over the crossroads inn. '.repeat(1 + (i % 7))} #${i} 🌊 über`);

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
});
