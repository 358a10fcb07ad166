import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chunkLore } from './chunk-lore.ts';

describe('chunkLore', () => {
  it('packs whole lines into chunks of at most 800 characters', () => {
    const line = 'x'.repeat(300);
    const chunks = chunkLore([line, line, line, line, line].join('\n'));
    expect(chunks).toEqual([`${line}\n${line}`, `${line}\n${line}`, line]);
  });

  it('splits a single over-long line at whitespace', () => {
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    const chunks = chunkLore(words, 100);
    expect(chunks.every((c) => c.length <= 100)).toBe(true);
    expect(chunks.join(' ')).toBe(words);
  });

  it('drops blank chunks and returns nothing for empty lore', () => {
    expect(chunkLore('')).toEqual([]);
    expect(chunkLore('\n\n  \n')).toEqual([]);
  });

  it('never exceeds the size and loses no word', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z ]{0,120}$/), { maxLength: 30 }), fc.integer({ min: 10, max: 200 }), (lines, size) => {
        const text = lines.join('\n');
        const chunks = chunkLore(text, size);
        expect(chunks.every((c) => c.length <= size)).toBe(true);
        const words = (s: string) => s.split(/\s+/).filter((w) => w !== '');
        expect(words(chunks.join(' ')).join('')).toBe(words(text).join(''));
      }),
    );
  });
});
