import { describe, expect, it } from 'vitest';
import { testModel } from '../testing/scripted-models.ts';
import { contextWindow, planSections, requestTokens, truncateToTokens } from './budget.ts';
import { estimateTokens } from '../tokens.ts';

describe('context window', () => {
  it('uses the model context length, else the configured default, else 8,192; minus the reply budget', () => {
    expect(contextWindow(testModel('p/a', { contextLength: 32_000 }))).toEqual({ contextLength: 32_000, replyBudget: 1024, inputBudget: 30_976 });
    expect(contextWindow(testModel('p/a'), { defaultContextLength: 16_000 })).toEqual({ contextLength: 16_000, replyBudget: 1024, inputBudget: 14_976 });
    expect(contextWindow(undefined)).toEqual({ contextLength: 8192, replyBudget: 1024, inputBudget: 7168 });
  });

  it("keeps the model's configured max output tokens free, but never more than half a small context", () => {
    expect(contextWindow(testModel('p/a', { contextLength: 8192, maxOutputTokens: 2000 })).replyBudget).toBe(2000);
    expect(contextWindow(testModel('p/a', { contextLength: 1000, maxOutputTokens: 2000 })).replyBudget).toBe(500);
  });
});

describe('budget helpers', () => {
  it('cuts text to a token count with a marker, keeping the start or the end', () => {
    const text = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const start = truncateToTokens(text, 20);
    const end = truncateToTokens(text, 20, { keep: 'end' });
    expect(estimateTokens(start)).toBeLessThanOrEqual(20);
    expect(start.startsWith('word0 word1')).toBe(true);
    expect(start.endsWith('…')).toBe(true);
    expect(end.endsWith('word199')).toBe(true);
    expect(truncateToTokens('short', 20)).toBe('short');
  });

  it('counts each message with its framing', () => {
    expect(requestTokens([{ role: 'user', content: 'hello' }])).toBe(3 + 4 + estimateTokens('hello'));
  });

  it('splits the room between sections without exceeding it, the scene only on the first turn', () => {
    const first = planSections(4000, true);
    const later = planSections(4000, false);
    expect(Object.values(first).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4000);
    expect(first.scene).toBeGreaterThan(0);
    expect(later.scene).toBe(0);
    expect(planSections(10, true)).toEqual({ scene: 2, entries: 2, summary: 1, lore: 1, memories: 1 });
  });
});
