import { describe, expect, test, vi } from 'vitest';

// Force colour on so the dim/italic check is a real one (see ChatView.test.tsx).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
});

import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { themes } from '../theme.ts';
import { WrapCache } from './cache.ts';
import { ChatView, type ChatViewProps } from './ChatView.tsx';
import { REASONING_KEY_LABEL, reasoningRows } from './reasoning.ts';
import type { ChatMessageView, Row } from './types.ts';

const ESC = '\u001b';
const strip = (s: string): string => s.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '');
const text = (rows: Row[]): string[] => rows.map((row) => row.map((s) => s.text).join(''));

const THOUGHT = 'The player hesitates at the door.\nThey fear the keeper; keep the reply short and cold.';
const thinking: ChatMessageView = { id: 'n', kind: 'narrator', text: '', reasoning: THOUGHT, streaming: true };
const replied: ChatMessageView = { ...thinking, text: 'The door **groans** open.', streaming: false };

function view(props: Partial<ChatViewProps>) {
  const all: ChatViewProps = { messages: [{ id: 'u', kind: 'user', text: 'I knock.' }, replied], width: 60, height: 20, scrollOffset: 0, streaming: false, colors: false, ...props };
  const rendered = render(<ChatView {...all} />);
  return { frame: () => rendered.lastFrame() ?? '', rerender: (more: Partial<ChatViewProps>) => rendered.rerender(<ChatView {...all} {...more} />) };
}

describe('reasoning rows', () => {
  test('none for a message without reasoning', () => {
    expect(reasoningRows({ id: 'a', kind: 'narrator', text: 'Hi' }, 40, true)).toEqual([]);
    expect(reasoningRows({ id: 'a', kind: 'narrator', text: 'Hi', reasoning: ' \n ' }, 40, false)).toEqual([]);
  });

  test('collapsed: one row that says it is thinking, how much so far, and which key shows it', () => {
    expect(text(reasoningRows(thinking, 60, false))).toEqual([`▸ thinking… ${THOUGHT.length} chars · ${REASONING_KEY_LABEL} shows`]);
    expect(text(reasoningRows(replied, 60, false))).toEqual([`▸ thought · ${THOUGHT.length} chars · ${REASONING_KEY_LABEL} shows`]);
  });

  test('the summary stays one row however narrow the pane', () => {
    for (const width of [8, 15, 30]) {
      const rows = reasoningRows(replied, width, false);
      expect(rows).toHaveLength(1);
      expect(stringWidth(text(rows)[0] ?? '')).toBeLessThanOrEqual(width);
    }
  });

  test('expanded: the summary, the thinking behind a bar, then a blank row before the narration', () => {
    const rows = text(reasoningRows(replied, 60, true));
    expect(rows[0]).toBe(`▾ thought · ${THOUGHT.length} chars · ${REASONING_KEY_LABEL} hides`);
    expect(rows.slice(1, -1)).toEqual(['┆ The player hesitates at the door.', '┆ They fear the keeper; keep the reply short and cold.']);
    expect(rows.at(-1)).toBe('');
    expect(text(reasoningRows(thinking, 60, true)).at(-1)).toBe('┆ They fear the keeper; keep the reply short and cold.');
  });

  test('expanded thinking wraps within the pane under its bar', () => {
    const rows = text(reasoningRows(replied, 20, true)).slice(1, -1);
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) {
      expect(row.startsWith('┆ ')).toBe(true);
      expect(stringWidth(row)).toBeLessThanOrEqual(20);
    }
  });

  test('terminal escapes in reasoning are removed like in any text', () => {
    const rows = text(reasoningRows({ ...replied, reasoning: `bad ${ESC}]0;title${ESC}\\ idea` }, 60, true));
    expect(rows.join('\n')).not.toContain(ESC);
    expect(rows[1]).toBe('┆ bad  idea');
  });
});

describe('ChatView with reasoning', () => {
  test('collapsed by default: the summary above the narration, the thinking itself not shown', () => {
    const frame = view({}).frame();
    expect(frame).toContain(`▸ thought · ${THOUGHT.length} chars`);
    expect(frame).not.toContain('hesitates');
    expect(frame.indexOf('▸ thought')).toBeLessThan(frame.indexOf('The door groans open.'));
    expect(frame.indexOf('NARRATOR')).toBeLessThan(frame.indexOf('▸ thought'));
  });

  test('while thinking: the NARRATOR spinner and the running size; the size grows with each piece', () => {
    const screen = view({ messages: [thinking], streaming: true });
    expect(screen.frame()).toContain(`▸ thinking… ${THOUGHT.length} chars`);
    screen.rerender({ messages: [{ ...thinking, reasoning: `${THOUGHT} More.` }], streaming: true });
    expect(screen.frame()).toContain(`▸ thinking… ${THOUGHT.length + 6} chars`);
  });

  test('expanded: the thinking in full, apart from the narration, which still shows', () => {
    const frame = view({ reasoningExpanded: true }).frame();
    expect(frame).toContain('┆ The player hesitates at the door.');
    expect(frame).toContain('The door groans open.');
    expect(frame).not.toContain('┆ The door');
  });

  test('the thinking is dim and italic, the narration is not', () => {
    const frame = view({ reasoningExpanded: true, colors: true, theme: themes.basic }).frame();
    const line = frame.split('\n').find((l) => strip(l).includes('hesitates')) ?? '';
    expect(line).toContain(`${ESC}[2m`);
    expect(line).toContain(`${ESC}[3m`);
    const narration = frame.split('\n').find((l) => strip(l).includes('The door')) ?? '';
    expect(narration).not.toContain(`${ESC}[2m`);
  });

  test('opening and closing the thinking re-lays out the transcript from the bottom up only', () => {
    const cache = new WrapCache();
    const history: ChatMessageView[] = Array.from({ length: 2000 }, (_, i) => ({ id: `h${i}`, kind: 'narrator', text: `turn ${i}`, reasoning: `why ${i}` }));
    const screen = view({ messages: history, cache, height: 10 });
    const wraps = cache.stats.wraps;
    screen.rerender({ messages: history, cache, height: 10, reasoningExpanded: true });
    expect(screen.frame()).toContain('┆ why 1999');
    expect(cache.stats.wraps - wraps).toBeLessThan(200);
    screen.rerender({ messages: history, cache, height: 10, reasoningExpanded: false });
    expect(screen.frame()).not.toContain('┆ why');
  });

  test('thinking pieces arriving do not parse the narration again', () => {
    const cache = new WrapCache();
    const screen = view({ messages: [{ ...replied, streaming: true }], cache, streaming: true });
    const parses = cache.stats.parses;
    screen.rerender({ messages: [{ ...replied, streaming: true, reasoning: `${THOUGHT} And more.` }], cache, streaming: true });
    expect(cache.stats.parses).toBe(parses);
    expect(screen.frame()).toContain(`${THOUGHT.length + 10} chars`);
  });
});
