import { describe, expect, it, vi } from 'vitest';

// Force colour on so the cursor (shown inverse) is in the frame; see ChatView.test.tsx.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
});

import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { themes } from '../theme.ts';
import { InputBox, inputHeight } from './InputBox.tsx';

const ESC = '\u001b';
const strip = (s: string): string => s.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '');
/** The box's text rows without borders and padding. */
const inner = (frame: string): string[] => strip(frame).split('\n').slice(1, -1).map((row) => row.slice(2, -2).trimEnd());
/** The text under the cursor (drawn inverse). */
const underCursor = (frame: string): string | undefined => new RegExp(`${ESC}\\[7m(.*?)${ESC}\\[27m`).exec(frame)?.[1];

const box = (text: string, cursor: number, width: number): string =>
  render(<InputBox draft={{ text, cursor }} locked={false} theme={themes.basic} width={width} />).lastFrame() ?? '';

describe('InputBox wrapping', () => {
  it('wraps a long line at word boundaries, never inside a word', () => {
    const text = 'I walk slowly toward the lighthouse keeper and ask her about the ledger';
    // 20 columns inside the box; a word leaves the last one free for a space or the cursor.
    expect(inner(box(text, text.length, 24))).toEqual(['I walk slowly', 'toward the', 'lighthouse keeper', 'and ask her about', 'the ledger']);
  });

  it('the cursor shows on the character it is before, on the right wrapped row', () => {
    const text = 'I walk slowly toward the lighthouse';
    const frame = box(text, text.indexOf('lighthouse'), 24);
    expect(underCursor(frame)).toBe('l');
    const rows = strip(frame).split('\n');
    expect(rows[3]).toContain('│ lighthouse');
    expect(frame.split('\n')[3]).toContain(`${ESC}[7ml`);
  });

  it('the cursor covers a whole emoji and rows keep their width with wide characters', () => {
    const text = '世界世界世界 and 👨‍👩‍👧 family';
    const frame = box(text, text.indexOf('👨'), 16);
    expect(underCursor(frame)).toBe('👨‍👩‍👧');
    for (const row of strip(frame).split('\n')) expect(stringWidth(row)).toBe(16);
  });

  it('its height is the number of wrapped rows', () => {
    const text = 'one two three four five six seven';
    expect(box(text, 0, 14).split('\n')).toHaveLength(inputHeight({ text, cursor: 0 }, false, 14));
  });

  it('in a narrow terminal the placeholder and "Narrating..." stay on the one row the layout planned', () => {
    for (const locked of [false, true]) {
      const frame = render(<InputBox draft={{ text: '', cursor: 0 }} locked={locked} theme={themes.basic} width={24} />).lastFrame() ?? '';
      expect(frame.split('\n')).toHaveLength(inputHeight({ text: '', cursor: 0 }, locked, 24));
      expect(frame.split('\n')).toHaveLength(3);
    }
  });

  it('a pasted tab shows as a space, not a jump past the border', () => {
    expect(inner(box('a\tb', 3, 20))).toEqual(['a b']);
  });
});
