import { performance } from 'node:perf_hooks';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { WrapCache, type WrapStats } from './cache.ts';
import { ChatView, type ChatViewProps } from './ChatView.tsx';
import type { ChatMessageView } from './types.ts';

export interface ChatBenchOptions {
  messages: number;
  width: number;
  height: number;
  /** Renders measured per figure. */
  frames: number;
}

export interface ChatBenchResult {
  messages: number;
  /** First render: every message parsed and wrapped once, the line index built. */
  msFirstFrame: number;
  /** A redraw with nothing new (the spinner ticking). */
  msPerFrame: number;
  /** Scrolling up one row. */
  msPerScrollStep: number;
  /** A chunk of a streaming reply arriving. */
  msPerStreamChunk: number;
  /** A terminal resize: the visible messages wrapped again at the new width. */
  msResize: number;
  /** Messages wrapped per stream chunk (1 when only the streaming message is). */
  wrapsPerStreamChunk: number;
  stats: WrapStats;
}

const NARRATION = [
  'The tide **rolls in** over the black stones, and the lantern above the door *sways* in the wind.',
  'Somewhere below, a bell rings twice. "You are late," says the keeper, not looking up from the `ledger`.',
  '',
  '- a coil of wet rope',
  '- a brass key, green with age',
  '',
  '> Mind the third step. It remembers.',
];

/** A campaign of alternating turns, long narration with Markdown, like a real session. */
export function sampleTranscript(count: number): ChatMessageView[] {
  return Array.from({ length: count }, (_, i): ChatMessageView => {
    if (i % 2 === 0) return { id: `m${i}`, kind: 'user', text: `I look around the room and ask about *the ${i}th key*.` };
    return { id: `m${i}`, kind: 'narrator', text: `Turn ${i}. ${NARRATION.join('\n')}` };
  });
}

/**
 * Times ChatView rendered through Ink (ink-testing-library) with a transcript of the given
 * size. The figures include Ink's own layout and output, which is what a player waits for.
 * React's development build (NODE_ENV unset) roughly triples the per-frame figures; run with
 * NODE_ENV=production for what a player sees.
 */
export function benchChatView(options: ChatBenchOptions): ChatBenchResult {
  const cache = new WrapCache();
  const history = sampleTranscript(options.messages);
  const frames = Math.max(1, options.frames);
  const base: ChatViewProps = {
    messages: history,
    width: options.width,
    height: options.height,
    scrollOffset: 0,
    streaming: false,
    colors: true,
    numbered: true,
    cache,
  };
  const element = (props: Partial<ChatViewProps>) => createElement(ChatView, { ...base, ...props });

  let started = performance.now();
  const screen = render(element({}));
  const msFirstFrame = performance.now() - started;

  const perRender = (count: number, props: (step: number) => Partial<ChatViewProps>): number => {
    const start = performance.now();
    for (let step = 1; step <= count; step++) screen.rerender(element(props(step)));
    return (performance.now() - start) / count;
  };

  const msPerFrame = perRender(frames, (step) => ({ spinnerFrame: step }));
  const msPerScrollStep = perRender(frames, (step) => ({ scrollOffset: step }));

  let reply = '';
  const wrapsBeforeStream = cache.stats.wraps;
  const msPerStreamChunk = perRender(frames, (step) => {
    reply += step % 7 === 0 ? '\n\n**A new thought** begins ' : 'and the sea keeps talking ';
    const messages = [...history, { id: 'live', kind: 'narrator' as const, text: reply, streaming: true }];
    return { messages, streaming: true, spinnerFrame: step };
  });

  const wrapsPerStreamChunk = (cache.stats.wraps - wrapsBeforeStream) / frames;

  started = performance.now();
  screen.rerender(element({ width: options.width - 1 }));
  const msResize = performance.now() - started;

  screen.unmount();
  return { messages: options.messages, msFirstFrame, msPerFrame, msPerScrollStep, msPerStreamChunk, msResize, wrapsPerStreamChunk, stats: { ...cache.stats } };
}
