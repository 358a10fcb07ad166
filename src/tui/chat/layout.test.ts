import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { WrapCache } from './cache.ts';
import {
  chatWindow,
  clampScrollFor,
  clampScrollOffset,
  keepScrollAnchor,
  maxScrollOffset,
  messageAtRow,
  NEW_TEXT_INDICATOR,
  totalLines,
  type WindowRequest,
} from './layout.ts';
import type { ChatMessageView, Row } from './types.ts';

// Each message is exactly one row of text at width 20: a label row, a text row, and a gap above all but the first.
const messages = (n: number): ChatMessageView[] => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, kind: 'user', text: `line ${i}` }));
const text = (row: Row): string => row.map((s) => s.text).join('');
const request = (over: Partial<WindowRequest> = {}): WindowRequest => ({ width: 20, height: 5, scrollOffset: 0, streaming: false, newTextBelow: false, ...over });

describe('totalLines', () => {
  test('counts label rows, text rows and gaps', () => {
    expect(totalLines(messages(1), 20)).toBe(2);
    expect(totalLines(messages(4), 20)).toBe(4 * 3 - 1);
    expect(totalLines([], 20)).toBe(0);
  });

  test('grows when the width shrinks and text wraps', () => {
    const long: ChatMessageView[] = [{ id: 'a', kind: 'narrator', text: 'one two three four five six' }];
    expect(totalLines(long, 40)).toBe(2);
    expect(totalLines(long, 10)).toBe(4);
  });
});

describe('scroll clamping', () => {
  test('offsets stay between the bottom and the top of the transcript', () => {
    expect(maxScrollOffset(100, 10)).toBe(90);
    expect(maxScrollOffset(5, 10)).toBe(0);
    expect(clampScrollOffset(-3, 100, 10)).toBe(0);
    expect(clampScrollOffset(500, 100, 10)).toBe(90);
    expect(clampScrollOffset(Number.NaN, 100, 10)).toBe(0);
    expect(clampScrollOffset(12.7, 100, 10)).toBe(12);
  });

  test('a scrolled-up reader keeps their place as text arrives; a follower keeps following', () => {
    expect(keepScrollAnchor(10, 100, 104)).toBe(14);
    expect(keepScrollAnchor(0, 100, 104)).toBe(0);
  });
});

describe('messageAtRow', () => {
  test('finds the message a row belongs to by binary search', () => {
    const index = new WrapCache().index(messages(5), 20);
    expect(index.starts).toEqual([0, 2, 5, 8, 11, 14]);
    expect([0, 1, 2, 4, 5, 13].map((row) => messageAtRow(index, row))).toEqual([0, 0, 1, 1, 2, 4]);
  });
});

describe('chatWindow', () => {
  const ten = messages(10); // 29 rows: m0 at rows 0-1, mi at rows 3i-1 .. 3i+1

  test('follows the bottom at offset 0', () => {
    const view = chatWindow(ten, new WrapCache(), request());
    expect(view.rows.map(text)).toEqual(['YOU', 'line 8', '', 'YOU', 'line 9']);
    expect(view.rowsBelow).toBe(0);
    expect(totalLines(ten, 20)).toBe(29);
  });

  test('an offset moves the window up by that many rows', () => {
    const view = chatWindow(ten, new WrapCache(), request({ scrollOffset: 3 }));
    expect(view.rows.map(text)).toEqual(['YOU', 'line 7', '', 'YOU', 'line 8']);
    expect(view.scrollOffset).toBe(3);
  });

  test('the window can start inside a message', () => {
    const view = chatWindow(ten, new WrapCache(), request({ scrollOffset: 5 }));
    expect(view.rows.map(text)).toEqual(['line 6', '', 'YOU', 'line 7', '']);
  });

  test('scrolling past the top clamps to the first rows', () => {
    const view = chatWindow(ten, new WrapCache(), request({ scrollOffset: 1000 }));
    expect(view.rows.map(text)).toEqual(['YOU', 'line 0', '', 'YOU', 'line 1']);
    expect(view.scrollOffset).toBe(24);
  });

  test('a short transcript renders fewer rows than the height', () => {
    const view = chatWindow(messages(1), new WrapCache(), request({ scrollOffset: 5 }));
    expect(view.rows.map(text)).toEqual(['YOU', 'line 0']);
    expect(view.scrollOffset).toBe(0);
  });

  test('the new-text indicator takes the last row while scrolled up', () => {
    const view = chatWindow(ten, new WrapCache(), request({ scrollOffset: 3, newTextBelow: true }));
    expect(view.rows).toHaveLength(5);
    expect(view.rows.map(text)).toEqual(['line 7', '', 'YOU', 'line 8', NEW_TEXT_INDICATOR]);
    expect(view.indicator).toBe(true);
  });

  test('no indicator at the bottom, or when there is nothing to scroll', () => {
    expect(chatWindow(ten, new WrapCache(), request({ newTextBelow: true })).indicator).toBe(false);
    expect(chatWindow(messages(1), new WrapCache(), request({ scrollOffset: 2, newTextBelow: true })).indicator).toBe(false);
  });

  test('only the messages in the window are turned into rows', () => {
    const cache = new WrapCache();
    const many = messages(2000);
    chatWindow(many, cache, request());
    const hits = cache.stats.hits;
    chatWindow(many, cache, request({ scrollOffset: 100 }));
    expect(cache.stats.hits - hits).toBeLessThanOrEqual(3);
  });

  test('height 0 renders nothing', () => {
    expect(chatWindow(ten, new WrapCache(), request({ height: 0 })).rows).toEqual([]);
  });

  test('opening a long session wraps only about a screenful', () => {
    const cache = new WrapCache();
    const view = chatWindow(messages(5000), cache, request({ height: 40 }));
    expect(view.rows).toHaveLength(40);
    expect(cache.stats.wraps).toBeLessThan(100);
  });

  test('a window measured lazily is the same as one measured in full', () => {
    const many: ChatMessageView[] = Array.from({ length: 400 }, (_, i) => ({
      id: `m${i}`,
      kind: (['user', 'narrator', 'system', 'error'] as const)[i % 4] as ChatMessageView['kind'],
      text: `message ${i} ` + 'word '.repeat(i % 23) + (i % 5 === 0 ? '\n\n- a\n- b' : ''),
    }));
    const full = new WrapCache();
    totalLines(many, 24, full);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 30 }), (scrollOffset, height) => {
        const lazy = chatWindow(many, new WrapCache(), request({ width: 24, height, scrollOffset }));
        const measured = chatWindow(many, full, request({ width: 24, height, scrollOffset }));
        expect(lazy).toEqual(measured);
      }),
      { numRuns: 60 },
    );
  });
});

describe('clampScrollFor', () => {
  test('clamps at the top, measuring only as far as the offset reaches', () => {
    const cache = new WrapCache();
    const many = messages(3000);
    expect(clampScrollFor(many, 20, 10, 30, cache)).toBe(30);
    expect(cache.stats.wraps).toBeLessThan(100);
    expect(clampScrollFor(many, 20, 10, 1e9, cache)).toBe(3 * 3000 - 1 - 10);
    expect(clampScrollFor(many, 20, 10, -5, cache)).toBe(0);
  });
});
