/**
 * UI: with a 5,000-message session loaded next to 50 messages.
 * - Keystroke: the whole App (ink-testing-library, a fake connection that delivered the
 *   session's `chat_history`) from a key written to stdin to the frame that shows it: typing a
 *   letter, and PgUp/PgDn scrolling. Raw per-key samples.
 * - Frame: ChatView redrawn with nothing new (a spinner tick) and first frame, from the TUI's
 *   own `benchChatView` (it reports means over its renders, not percentiles).
 */
import { performance } from 'node:perf_hooks';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { App } from '../src/tui/App.tsx';
import type { AppIo } from '../src/tui/app/io.ts';
import { benchChatView, sampleTranscript } from '../src/tui/chat/bench.ts';
import { themes } from '../src/tui/theme.ts';
import { FakeConnection, readyEvent, syncState } from '../src/tui/testing/fake-connection.ts';
import { sessionStage } from '../src/tui/testing/states.ts';
import type { Bench, BenchContext, Figure } from './figure.ts';
import { sleep } from './processes.ts';
import { summarize, type Summary } from './stats.ts';

const COLUMNS = 100;
const ROWS = 30;
const KEYS = { pageUp: '\x1b[5~', pageDown: '\x1b[6~', backspace: '\x7f' } as const;

const io: AppIo = { quit: () => {}, copy: () => {}, openEditor: async () => null };

const tick = () => new Promise<void>((done) => setImmediate(done));

async function waitForChange(frame: () => string, before: string, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (frame() === before) {
    if (performance.now() > deadline) throw new Error('the frame did not change after a keystroke');
    await tick();
  }
}

interface KeyTimes {
  typing: Summary;
  scrolling: Summary;
}

async function timeKeystrokes(messages: number, keystrokes: number): Promise<KeyTimes> {
  const connection = new FakeConnection();
  const app = render(createElement(App, { connection, theme: themes.plain, io, columns: COLUMNS, rows: ROWS }));
  const frame = () => app.lastFrame() ?? '';
  try {
    for (let i = 0; i < 500 && !connection.started; i++) await sleep(5);
    connection.setStatus({ state: 'open' });
    connection.emit(readyEvent);
    connection.emit(syncState(sessionStage));
    const history = sampleTranscript(messages).map((m) => ({ role: m.kind === 'user' ? 'user' : 'assistant', content: m.text }));
    connection.emit({ event: 'chat_history', content: '', metadata: { history } });
    await sleep(200);
    // sampleTranscript's narrator turns (odd indexes) start with "Turn <index>.".
    const last = `Turn ${messages % 2 === 0 ? messages - 1 : messages - 2}.`;
    await waitForChange(() => (frame().includes(last) ? '' : 'waiting'), 'waiting');

    const press = async (key: string): Promise<number> => {
      const before = frame();
      const started = performance.now();
      app.stdin.write(key);
      await waitForChange(frame, before);
      return performance.now() - started;
    };
    const typing: number[] = [];
    const scrolling: number[] = [];
    for (let i = 0; i < 10; i++) await press(i % 2 === 0 ? 'x' : KEYS.backspace); // warm-up
    for (let i = 0; i < keystrokes; i++) {
      typing.push(await press(i % 2 === 0 ? 'x' : KEYS.backspace));
      scrolling.push(await press(i % 2 === 0 ? KEYS.pageUp : KEYS.pageDown));
    }
    return { typing: summarize(typing), scrolling: summarize(scrolling) };
  } finally {
    app.unmount();
  }
}

export const uiBench: Bench = {
  name: 'ui',
  description: 'TUI frame and keystroke with 5,000 vs 50 messages',
  async run(ctx: BenchContext) {
    const keystrokes = ctx.quick ? 20 : 200;
    const frames = ctx.quick ? 10 : 100;
    ctx.log(`${keystrokes} keystrokes of each kind through the App, 5,000 and 50 messages…`);
    const big = await timeKeystrokes(5_000, keystrokes);
    const small = await timeKeystrokes(50, keystrokes);
    ctx.log(`ChatView frames (benchChatView, ${frames} renders per figure)…`);
    const bigView = benchChatView({ messages: 5_000, width: COLUMNS, height: ROWS, frames });
    const smallView = benchChatView({ messages: 50, width: COLUMNS, height: ROWS, frames });
    const baselineLabel = '50 messages';
    const figures: Figure[] = [
      { id: 'ui.keystroke.typing.p50', label: 'keystroke → frame p50, typing (5,000 msgs)', unit: 'ms', value: big.typing.p50, baseline: small.typing.p50, baselineLabel },
      { id: 'ui.keystroke.typing.p99', label: 'keystroke → frame p99, typing (5,000 msgs)', unit: 'ms', value: big.typing.p99, baseline: small.typing.p99, baselineLabel },
      { id: 'ui.keystroke.scroll.p50', label: 'keystroke → frame p50, PgUp/PgDn (5,000 msgs)', unit: 'ms', value: big.scrolling.p50, baseline: small.scrolling.p50, baselineLabel },
      { id: 'ui.keystroke.scroll.p99', label: 'keystroke → frame p99, PgUp/PgDn (5,000 msgs)', unit: 'ms', value: big.scrolling.p99, baseline: small.scrolling.p99, baselineLabel },
      { id: 'ui.frame.mean', label: 'ChatView frame, mean (5,000 msgs)', unit: 'ms', value: bigView.msPerFrame, baseline: smallView.msPerFrame, baselineLabel },
      { id: 'ui.stream_chunk.mean', label: 'ChatView stream chunk, mean (5,000 msgs)', unit: 'ms', value: bigView.msPerStreamChunk, baseline: smallView.msPerStreamChunk, baselineLabel },
      { id: 'ui.first_frame', label: 'ChatView first frame (5,000 msgs)', unit: 'ms', value: bigView.msFirstFrame, baseline: smallView.msFirstFrame, baselineLabel },
    ];
    return {
      figures,
      details: { columns: COLUMNS, rows: ROWS, keystrokes, frames, app: { big, small }, chatView: { big: bigView, small: smallView } },
      notes: ['ChatView figures are means over renders, from src/tui/chat/bench.ts; keystroke figures are percentiles of raw samples'],
    };
  },
};
