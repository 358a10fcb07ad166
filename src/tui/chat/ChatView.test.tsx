import { describe, expect, test, vi } from 'vitest';

// Ink's colour library decides at import whether to emit colour; force it on so that
// "colors=false has no ANSI codes" is a real check and not an accident of the test's stdout.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
});

import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { themes } from '../theme.ts';
import { WrapCache } from './cache.ts';
import { ChatView, type ChatViewProps } from './ChatView.tsx';
import { SPINNER_FRAMES } from './layout.ts';
import type { ChatMessageView } from './types.ts';

const ESC = '\u001b';
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`);
const strip = (s: string): string => s.replace(new RegExp(ANSI.source, 'g'), '');

const conversation: ChatMessageView[] = [
  { id: 's', kind: 'system', text: '✓ world set: harbor_town' },
  { id: 'u', kind: 'user', text: 'I open the *creaking* door.' },
  { id: 'n', kind: 'narrator', text: 'The hall is **dark**. A `lantern` hangs by the door.\n\n- a rope\n- a key\n\n> Beware the tide.' },
  { id: 'e', kind: 'error', text: '✗ provider openrouter: rate limited' },
];

function view(props: Partial<ChatViewProps> = {}) {
  const all: ChatViewProps = { messages: conversation, width: 60, height: 40, scrollOffset: 0, streaming: false, colors: false, ...props };
  const rendered = render(<ChatView {...all} />);
  return { ...rendered, frame: () => rendered.lastFrame() ?? '', rerenderWith: (more: Partial<ChatViewProps>) => rendered.rerender(<ChatView {...all} {...more} />) };
}

describe('ChatView', () => {
  test('labels every kind of message', () => {
    const frame = view().frame();
    for (const label of ['SYSTEM', 'YOU', 'NARRATOR', 'ERROR']) expect(frame).toContain(label);
    expect(frame.indexOf('SYSTEM')).toBeLessThan(frame.indexOf('YOU'));
    expect(frame.indexOf('NARRATOR')).toBeLessThan(frame.indexOf('ERROR'));
  });

  test('renders markdown without its markers', () => {
    const frame = view().frame();
    expect(frame).toContain('I open the creaking door.');
    expect(frame).toContain('The hall is dark. A lantern hangs by the door.');
    expect(frame).toContain('• a rope');
    expect(frame).toContain('│ Beware the tide.');
    expect(frame).not.toMatch(/\*|`|^> /m);
  });

  test('system and error text is shown as written (no markdown)', () => {
    expect(view().frame()).toContain('✓ world set: harbor_town');
  });

  test('without colours the frame has no ANSI codes at all', () => {
    expect(view({ colors: false }).frame()).not.toMatch(ANSI);
  });

  test('with colours each label has its own colour and markdown is styled', () => {
    const frame = view({ colors: true, theme: themes.basic }).frame();
    expect(frame).toMatch(ANSI);
    const colourOf = (label: string): string | undefined => frame.match(new RegExp(`((?:${ANSI.source})+)${label}`))?.[1];
    const colours = ['YOU', 'NARRATOR', 'SYSTEM', 'ERROR'].map(colourOf);
    expect(new Set(colours).size).toBe(4);
    expect(colourOf('ERROR')).toContain(`${ESC}[31m`);
    expect(frame).toMatch(new RegExp(`${ESC}\\[1m[^${ESC}]*dark`));
    expect(frame).toMatch(new RegExp(`${ESC}\\[3m[^${ESC}]*creaking`));
  });

  test('uses the theme it is given', () => {
    const rich = view({ colors: true, theme: themes.rich }).frame();
    const basic = view({ colors: true, theme: themes.basic }).frame();
    expect(strip(rich)).toBe(strip(basic));
    expect(rich).not.toBe(basic);
    expect(view({ colors: true, theme: themes.plain }).frame()).toBe(basic);
  });

  test('a streaming narrator message shows a spinner that advances with the frame', () => {
    const live: ChatMessageView[] = [...conversation.slice(0, 2), { id: 'n', kind: 'narrator', text: 'The hall', streaming: true }];
    const screen = view({ messages: live, streaming: true, spinnerFrame: 0 });
    expect(screen.frame()).toContain(`NARRATOR ${SPINNER_FRAMES[0]}`);
    screen.rerenderWith({ spinnerFrame: 1 });
    expect(screen.frame()).toContain(`NARRATOR ${SPINNER_FRAMES[1]}`);
    screen.rerenderWith({ messages: live.map((m) => ({ ...m, streaming: false })), streaming: false });
    expect(screen.frame()).not.toMatch(new RegExp(`[${SPINNER_FRAMES.join('')}]`));
  });

  test('a turn waiting for its first words shows the NARRATOR label and spinner at the bottom, then the reply in its place', () => {
    const waiting = conversation.slice(0, 2);
    const screen = view({ messages: waiting, streaming: true, spinnerFrame: 3, height: 6 });
    const rows = screen.frame().split('\n');
    expect(rows).toHaveLength(6);
    expect(rows.at(-1)).toBe(`NARRATOR ${SPINNER_FRAMES[3]}`);
    expect(rows.at(-3)).toBe('I open the creaking door.');
    screen.rerenderWith({ messages: [...waiting, { id: 'n', kind: 'narrator', text: 'The hall', streaming: true }], streaming: true, spinnerFrame: 3, height: 6 });
    expect(screen.frame().split('\n').slice(-2)).toEqual([`NARRATOR ${SPINNER_FRAMES[3]}`, 'The hall']);
    expect(screen.frame().match(/NARRATOR/g)).toHaveLength(1);
    // Scrolled up, the reader's rows stay as they are.
    expect(view({ messages: waiting, streaming: true, height: 6, scrollOffset: 1 }).frame()).not.toContain('NARRATOR');
  });

  test('shows which alternative reply is shown', () => {
    const swiped = conversation.map((m) => (m.id === 'n' ? { ...m, swipe: { index: 1, count: 3 } } : m));
    expect(view({ messages: swiped }).frame()).toMatch(/NARRATOR.*2\/3/);
    expect(view().frame()).not.toContain('/3');
  });

  test('shows a message hidden from the narrator dimmed, with a marker after its label', () => {
    const hidden = conversation.map((m) => (m.id === 'u' ? { ...m, hidden: true } : m));
    const plain = view({ messages: hidden }).frame();
    expect(plain).toContain('YOU · hidden\nI open the creaking door.');
    expect(plain).not.toContain('NARRATOR · hidden');
    const coloured = view({ messages: hidden, colors: true, theme: themes.basic }).frame();
    const rowOf = (text: string): string => coloured.split('\n').find((row) => strip(row).startsWith(text)) ?? '';
    // Faint (SGR 2) on the hidden message's text, not on the shown ones.
    expect(rowOf('I open the creaking door.')).toContain(`${ESC}[2m`);
    expect(rowOf('The hall is dark.')).not.toContain(`${ESC}[2m`);
    // Hiding and showing again re-renders the same message id.
    const screen = view({ messages: hidden, colors: true, theme: themes.basic });
    screen.rerenderWith({ messages: conversation });
    expect(strip(screen.frame())).not.toContain('hidden');
    expect(screen.frame().split('\n').find((row) => strip(row).startsWith('I open the creaking door.'))).not.toContain(`${ESC}[2m`);
  });

  test('shows the engine message numbers when asked; local notices have none', () => {
    // The engine numbers stored messages (chat_history `n`); the SYSTEM and ERROR lines here are local.
    const messages = conversation.map((m, i): ChatMessageView => (m.kind === 'user' || m.kind === 'narrator' ? { ...m, n: i + 5 } : m));
    const frame = view({ numbered: true, messages }).frame();
    expect(frame).toContain('#6 YOU');
    expect(frame).toContain('#7 NARRATOR');
    expect(frame).not.toContain('#5');
    expect(frame).not.toContain('#8');
    expect(view({ messages }).frame()).not.toContain('#6');
  });

  test('no row is wider than the pane, whatever the text', () => {
    const hard: ChatMessageView[] = [
      { id: 'a', kind: 'narrator', text: '日本語のテキストはとても長いのでここで折り返す必要があります。' },
      { id: 'b', kind: 'user', text: '👨‍👩‍👧👋🏽 emoji 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉 and more' },
      { id: 'c', kind: 'narrator', text: 'https://example.com/a/very/long/url/without/any/spaces/at/all/in/it/at/all' },
      { id: 'd', kind: 'narrator', text: '```\n\tindented\twith\ttabs\tthat\tgo\tpast\tthe\tedge\n```\n\n> - quoted **list** item that wraps a lot' },
      { id: 'e', kind: 'error', text: 'tab\tseparated\tvalues\tin\tan\terror\tmessage' },
    ];
    for (const width of [12, 17, 24]) {
      const frame = view({ messages: hard, width, height: 200 }).frame();
      for (const line of frame.split('\n')) expect(stringWidth(line), `${JSON.stringify(line)} at width ${width}`).toBeLessThanOrEqual(width);
      expect(frame.replace(/\s/g, '')).toContain('日本語のテ');
    }
  });

  test('renders at most `height` rows', () => {
    expect(view({ height: 6 }).frame().split('\n')).toHaveLength(6);
  });

  test('scrollOffset moves the window up, clamping at the top', () => {
    const screen = view({ height: 3 });
    expect(screen.frame()).toContain('ERROR');
    screen.rerenderWith({ scrollOffset: 3 });
    expect(screen.frame()).not.toContain('ERROR');
    expect(screen.frame()).toContain('Beware the tide.');
    screen.rerenderWith({ scrollOffset: 10_000 });
    expect(screen.frame().split('\n')[0]).toBe('SYSTEM');
  });

  test('text arriving below a scrolled-up reader shows an indicator, until they return', () => {
    const base = conversation.slice(0, 3);
    const screen = view({ messages: base, height: 4, scrollOffset: 0 });
    screen.rerenderWith({ scrollOffset: 2 });
    expect(screen.frame()).not.toContain('new text below');

    const grown = [...base.slice(0, 2), { ...(base[2] as ChatMessageView), text: `${base[2]?.text} More.` }];
    screen.rerenderWith({ messages: grown, scrollOffset: 2 });
    expect(screen.frame().split('\n').at(-1)).toBe('↓ new text below');
    expect(screen.frame().split('\n')).toHaveLength(4);

    screen.rerenderWith({ messages: grown, scrollOffset: 0 });
    expect(screen.frame()).not.toContain('new text below');
    screen.rerenderWith({ messages: grown, scrollOffset: 2 });
    expect(screen.frame()).not.toContain('new text below');
  });

  test('the indicator shows while a reply streams and the reader is scrolled up', () => {
    const live = [...conversation.slice(0, 2), { id: 'n', kind: 'narrator' as const, text: 'The hall is dark and long and cold.', streaming: true }];
    expect(view({ messages: live, streaming: true, height: 3, scrollOffset: 2 }).frame()).toContain('↓ new text below');
    expect(view({ messages: live, streaming: true, height: 3, scrollOffset: 0 }).frame()).not.toContain('new text below');
  });

  test('streaming chunks re-wrap only the streaming message', () => {
    const cache = new WrapCache();
    const history: ChatMessageView[] = Array.from({ length: 200 }, (_, i) => ({ id: `h${i}`, kind: i % 2 ? 'narrator' : 'user', text: `turn ${i} with *some* text` }));
    let text = '';
    const withReply = (): ChatMessageView[] => [...history, { id: 'live', kind: 'narrator', text, streaming: true }];
    const screen = view({ messages: withReply(), cache, height: 10, streaming: true });
    const wrapsBefore = cache.stats.wraps;
    for (const chunk of ['The ', 'tide ', '**comes** ', 'in fast', ' and the lantern gutters.']) {
      text += chunk;
      screen.rerenderWith({ messages: withReply(), cache, height: 10, streaming: true });
    }
    expect(cache.stats.wraps - wrapsBefore).toBe(5);
    expect(strip(screen.frame())).toContain('The tide comes in fast and the lantern gutters.');
  });

  test('a view without a shared cache keeps its own across renders', () => {
    const screen = view();
    screen.rerenderWith({ spinnerFrame: 2 });
    expect(screen.frame()).toContain('NARRATOR');
  });
});
