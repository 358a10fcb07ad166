import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from './App.tsx';
import { PASTE_END, PASTE_START } from './input/decoder.ts';
import { FakeConnection, syncState } from './testing/fake-connection.ts';
import { fakeIo, keys, renderApp } from './testing/render-app.tsx';
import { themes } from './theme.ts';
import { waitFor } from './testing/wait-for.ts';
import { INPUT_LOCKED_TEXT, INPUT_PLACEHOLDER } from './components/InputBox.tsx';

afterEach(() => cleanup());

const chunk = (content: string) => ({ event: 'chat_chunk', content, metadata: { tokens_per_second: 10 } }) as const;
const end = (total_tokens: number) => ({ event: 'chat_end', content: '', metadata: { total_tokens } }) as const;

describe('App: setting the stage through the lists', () => {
  it('/ opens the commands, a command with an id chains into a filtered picker, picking sends the full command', async () => {
    const { press, see, frame, connection } = await renderApp();
    await see('Prepare the stage');
    await press('/');
    await see('Choose the world to play in');
    await press('world sel');
    await see('› /world select <id>');
    await press(keys.enter);
    await see('/world select: Worlds');
    await see('Neon Harbor (neon)');
    await press('harb');
    await waitFor(() => expect(frame()).not.toContain('Eldoria (eldoria)'));
    await press(keys.enter);
    await waitFor(() => expect(connection.sent).toEqual(['/world select neon']));
    await see(INPUT_PLACEHOLDER);
  });

  it('Up/Down move in the list and Tab completes without sending', async () => {
    const { press, see, connection } = await renderApp();
    await press('/model ');
    await see('in $3 · out $15 /M tok');
    await press(keys.down);
    await see('› Claude Sonnet (anthropic/claude-sonnet)');
    await press(keys.tab);
    await see('/model anthropic/claude-sonnet');
    expect(connection.sent).toEqual([]);
  });

  it('Esc closes the list and keeps the text', async () => {
    const { press, see, frame } = await renderApp();
    await press('/ses');
    await see('Commands');
    await press(keys.esc);
    await waitFor(() => expect(frame()).not.toContain('Commands'));
    expect(frame()).toContain('/ses');
  });

  it('a command without an argument is sent on Enter', async () => {
    const { press, see, connection } = await renderApp();
    await press('/session new');
    await see('› /session new');
    await press(keys.enter);
    await waitFor(() => expect(connection.sent).toEqual(['/session new']));
  });
});

describe('App: playing', () => {
  it('sends a turn, locks the input while narrating, Esc cancels, chat_end unlocks', async () => {
    const { press, see, frame, connection } = await renderApp({ inSession: true });
    await waitFor(() => expect(connection.sent).toEqual(['/session continue abc123def456']));
    connection.emit({ event: 'chat_history', content: '', metadata: { history: [{ role: 'assistant', content: 'The gate looms.' }] } });
    await see('The gate looms.');
    await press('I knock');
    await see('I knock');
    await press(keys.enter);
    await waitFor(() => expect(connection.sent.at(-1)).toBe('I knock'));
    await see('YOU');
    await see(INPUT_LOCKED_TEXT);
    connection.emit(chunk('The door '));
    connection.emit(chunk('creaks open.'));
    await see('The door creaks open.');
    await press('typing is ignored');
    expect(frame()).not.toContain('typing is ignored');
    await press(keys.esc);
    await waitFor(() => expect(connection.sent.at(-1)).toBe('/cancel'));
    connection.emit({ event: 'system_update', content: '✗ Stream cancelled by user.', metadata: {} });
    connection.emit(end(4));
    await see(INPUT_PLACEHOLDER);
    expect(frame()).toContain('The door creaks open.');
  });

  it('shows an ERROR message', async () => {
    const { see, connection } = await renderApp({ inSession: true });
    connection.emit({ event: 'error', content: 'The provider refused the key (401).', metadata: {} });
    await see('ERROR');
    await see('The provider refused the key (401).');
  });

  it('keeps the text when the engine is unreachable, and across a reconnect', async () => {
    const { press, see, frame, connection } = await renderApp({ inSession: true });
    connection.setStatus({ state: 'reconnecting', attempt: 2, retryInMs: 1000 });
    await see('reconnecting (attempt 2');
    await press('Do not lose this');
    await press(keys.enter);
    await see('Not connected to the engine');
    expect(frame()).toContain('Do not lose this');
    connection.setStatus({ state: 'open' });
    await see('● connected');
    expect(frame()).toContain('Do not lose this');
  });

  it('pasted lines stay in the input unsent; Ctrl+J adds a line; Enter sends them together', async () => {
    const { press, see, connection } = await renderApp({ inSession: true });
    await press(`${PASTE_START}First line\rSecond line${PASTE_END}`);
    await see('Second line');
    expect(connection.sent.filter((p) => !p.startsWith('/'))).toEqual([]);
    await press(keys.ctrlJ, 'Third');
    await see('Third');
    await press(keys.enter);
    await waitFor(() => expect(connection.sent.at(-1)).toBe('First line\nSecond line\nThird'));
  });

  it('Up recalls earlier inputs', async () => {
    const { press, see, connection } = await renderApp({ inSession: true });
    await press('/rules clear', keys.esc, keys.enter);
    await waitFor(() => expect(connection.sent.at(-1)).toBe('/rules clear'));
    await press(keys.up);
    await see('/rules clear');
  });

  it('Up keeps walking the history past recalled commands, and Enter sends the recalled line', async () => {
    const { press, see, frame, connection } = await renderApp({ inSession: true });
    await press('I wave', keys.enter);
    await waitFor(() => expect(connection.sent.at(-1)).toBe('I wave'));
    connection.emit({ event: 'chat_end', content: '', metadata: { total_tokens: 1 } });
    await see(INPUT_PLACEHOLDER);
    await press('/world select neon', keys.esc, keys.enter);
    await waitFor(() => expect(connection.sent.at(-1)).toBe('/world select neon'));
    await press(keys.up);
    await see('/world select neon');
    expect(frame()).not.toContain('Worlds');
    await press(keys.up);
    await see('I wave');
    await press(keys.down, keys.enter);
    await waitFor(() => expect(connection.sent.filter((p) => p === '/world select neon')).toHaveLength(2));
  });

  it('Ctrl+Y copies the last narrator reply; Ctrl+X composes in the editor', async () => {
    const { press, see, io, connection } = await renderApp({ inSession: true });
    connection.emit({ event: 'chat_history', content: '', metadata: { history: [{ role: 'assistant', content: 'Reply to copy.' }] } });
    await see('Reply to copy.');
    await press(keys.ctrlY);
    await waitFor(() => expect(io.copied).toEqual(['Reply to copy.']));
    await see('Copied the last reply');
    io.editorReturns = 'Written\nin the editor';
    await press('draft', keys.ctrlX);
    await waitFor(() => expect(io.editorCalls).toEqual(['draft']));
    await see('in the editor');
    await see('Back from the editor');
  });

  it('shows message numbers and "2/3" on a reply with alternatives; Alt+Left/Right swipe, Ctrl+R regenerates', async () => {
    const { press, see, connection } = await renderApp({ inSession: true });
    const history = [
      { role: 'assistant', content: 'The gate looms.', n: 1 },
      { role: 'user', content: 'I knock.', n: 2 },
      { role: 'assistant', content: 'A guard answers.', n: 3, swipe_index: 1, swipe_count: 3 },
    ];
    connection.emit({ event: 'chat_history', content: '', metadata: { history } });
    await see('A guard answers.');
    await see('#2 YOU');
    await see('#3 NARRATOR < 2/3 >');
    await press(keys.altLeft);
    await press(keys.altRight);
    await press(keys.ctrlR);
    await waitFor(() => expect(connection.sent.filter((line) => line !== '/session continue abc123def456')).toEqual(['/swipe prev', '/swipe next', '/regenerate']));
  });

  it('the mouse wheel and PgUp scroll the chat; End follows again', async () => {
    const { press, see, frame, connection } = await renderApp({ inSession: true, rows: 20 });
    const history = Array.from({ length: 40 }, (_, i) => ({ role: i % 2 ? 'user' : 'assistant', content: `message number ${i}` }));
    connection.emit({ event: 'chat_history', content: '', metadata: { history } });
    await see('message number 39');
    await press(keys.wheelUp);
    await see('scrolled 3 lines');
    await press(keys.pageUp);
    await waitFor(() => expect(frame()).not.toContain('message number 39'));
    await press(keys.end);
    await see('message number 39');
  });
});

describe('App: layout and help', () => {
  it('shows the sidebar when wide and hides it when narrow', async () => {
    const wide = await renderApp({ columns: 100 });
    await wide.see('Active rules');
    const narrow = await renderApp({ columns: 60 });
    await narrow.see('Prepare the stage');
    expect(narrow.frame()).not.toContain('Active rules');
  });

  it('F1 and /help open the help screen listing keys and commands; Esc closes it', async () => {
    const { press, see, frame, connection } = await renderApp({ rows: 60 });
    await press(keys.f1);
    await see('Flower help');
    await see('/session continue <id>');
    await see('Ctrl+Y');
    await press(keys.esc);
    await waitFor(() => expect(frame()).not.toContain('Flower help'));
    await press('/help', keys.esc, keys.enter);
    await see('Flower help');
    expect(connection.sent).toEqual([]);
  });

  it('names the config file in the no-model hint when the launcher knows it', async () => {
    const connection = new FakeConnection();
    const app = render(<App connection={connection} theme={themes.plain} io={fakeIo()} columns={120} rows={30} configPath="/home/p/.config/flower/config.yaml" />);
    await waitFor(() => connection.started);
    connection.setStatus({ state: 'open' });
    connection.emit(syncState({ available_models: [] }));
    await waitFor(() => expect((app.lastFrame() ?? '').replace(/\s+/g, ' ')).toContain('add a provider to /home/p/.config/flower/config.yaml'));
  });

  it('uses the engine command list for the palette and help', async () => {
    const { press, see, connection } = await renderApp();
    connection.emit(syncState({ commands: [{ name: '/roll', usage: '/roll <dice>', description: 'Roll the dice', completion: 'none', takes_argument: true }] }));
    await press('/');
    await see('Roll the dice');
  });
});

describe('App: quitting', () => {
  it('/quit quits without sending', async () => {
    const { press, io, connection } = await renderApp();
    await press('/quit', keys.esc, keys.enter);
    await waitFor(() => expect(io.quits).toBe(1));
    expect(connection.sent).toEqual([]);
  });

  it('Ctrl+C quits', async () => {
    const { press, io } = await renderApp();
    await press(keys.ctrlC);
    await waitFor(() => expect(io.quits).toBe(1));
  });

  it('Esc quits when nothing is open; with unsent text it asks first', async () => {
    const { press, see, io } = await renderApp();
    await press('unsent words', keys.esc);
    await see('Esc again quits');
    expect(io.quits).toBe(0);
    await press(keys.esc);
    await waitFor(() => expect(io.quits).toBe(1));
  });
});
