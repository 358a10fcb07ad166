import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CachedTokenCounter, estimateTokens, type TokenCounter, uncachedTokens } from '../tokens.ts';
import { countByLines, countWithBullets } from './line-tokens.ts';
import { bulletTexts, makePart, renderSystem } from './sections.ts';

/** Pieces that meet at line breaks in every way the tokenizer's regex cares about. */
const PIECES = [
  '\n', '\n\n', '\r\n', '\r', ' ', '  ', '\t', '\u00a0', '\u3000', '/', '//', '-', '- ', '.', '...', '!?', '#', '###', '"', "'s", "'",
  'a', 'word', 'Word', 'WORD', 'über', '東京', '🌊', '1', '12345', '²', 'e\u0301', 'http://x', 'Relevant lore:', '### CURRENT CONTEXT ###',
];

describe('countByLines', () => {
  it('counts exactly what counting the whole text gives (property)', () => {
    const text = fc.oneof(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((pieces) => pieces.join('')),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'grapheme', maxLength: 6 })), { maxLength: 40 }).map((pieces) => pieces.join('')),
    );
    fc.assert(
      fc.property(text, (value) => {
        expect(countByLines(value, uncachedTokens)).toBe(estimateTokens(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('counts each line once, so a cache answers for the lines seen before', () => {
    const seen: string[] = [];
    const cache = new CachedTokenCounter({ minLength: 0 });
    const counter: TokenCounter = { count: (text) => (seen.push(text), cache.count(text)) };
    const stable = 'You are the narrator.\n- Never act for the player.\n\n';
    expect(countByLines(`${stable}- a new memory\nNever break character.`, counter)).toBe(estimateTokens(`${stable}- a new memory\nNever break character.`));
    expect(seen).toEqual(['You are the narrator.\n', '- Never act for the player.\n\n', '- a new memory\n', 'Never break character.']);
  });

  it('counts bulleted lines from their texts exactly as the whole text (property)', () => {
    const words = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 30 }).map((pieces) => pieces.join(''));
    const sentence = fc.array(fc.oneof(words, fc.constantFrom('The castle', 'said: "Go."', 'Ayla', "it's", 'E=mc²', '東京 タワー')), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(
        fc.record({
          base: sentence,
          lore: fc.array(sentence, { maxLength: 5 }),
          memories: fc.array(sentence, { maxLength: 5 }),
          scene: fc.option(sentence, { nil: undefined }),
        }),
        ({ base, lore, memories, scene }) => {
          const parts = [
            makePart('base_rules', 'Base rules', {}, base),
            ...(scene === undefined ? [] : [makePart('scene', 'Scene', {}, scene)]),
            ...lore.map((text, at) => makePart('lore', 'lore', { chunk_id: at }, text)),
            ...memories.map((text, at) => makePart('memory', 'memory', { memory_id: at }, text)),
          ].filter((part) => part.text !== '');
          const system = renderSystem(parts);
          expect(countWithBullets(system, bulletTexts(parts), uncachedTokens)).toBe(estimateTokens(system));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('counts a bulleted line from its text and a few short pieces', () => {
    const seen: string[] = [];
    const counter: TokenCounter = { count: (text) => (seen.push(text), estimateTokens(text)) };
    const memory = 'User: I ask Ayla about the old castle.\nAI: She frowns and says nothing at all.';
    const system = `Memories of earlier exchanges:\n- ${memory}\n\nNever break character.`;
    expect(countWithBullets(system, [memory], counter)).toBe(estimateTokens(system));
    expect(seen).toContain(memory);
    expect(seen.every((text) => text === memory || text.length < 40)).toBe(true);
  });

  it('keeps a line break before whitespace or a slash with its line', () => {
    const seen: string[] = [];
    countByLines('a\n b\n/c\nd', { count: (text) => (seen.push(text), estimateTokens(text)) });
    expect(seen).toEqual(['a\n b\n/c\n', 'd']);
  });
});
