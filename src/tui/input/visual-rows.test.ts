import { describe, expect, it } from 'vitest';
import { visualRows } from './visual-rows.ts';

describe('input rows', () => {
  it('keeps short lines as they are and marks the cursor', () => {
    expect(visualRows({ text: 'ab\ncd', cursor: 4 }, 10)).toEqual([
      { text: 'ab', cursor: null },
      { text: 'cd', cursor: 1 },
    ]);
  });

  it('wraps a long line by display width, wide characters counting two', () => {
    expect(visualRows({ text: 'abcdef', cursor: 0 }, 4).map((r) => r.text)).toEqual(['abcd', 'ef']);
    expect(visualRows({ text: '世界世界', cursor: 0 }, 5).map((r) => r.text)).toEqual(['世界', '世界']);
  });

  it('puts the cursor in the row that holds it, and after a full row on a new one', () => {
    expect(visualRows({ text: 'abcdef', cursor: 5 }, 4)).toEqual([
      { text: 'abcd', cursor: null },
      { text: 'ef', cursor: 1 },
    ]);
    expect(visualRows({ text: 'abcd', cursor: 4 }, 4)).toEqual([
      { text: 'abcd', cursor: null },
      { text: '', cursor: 0 },
    ]);
  });
});
