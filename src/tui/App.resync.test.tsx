import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from './App.tsx';
import { FakeConnection, readyEvent, syncState } from './testing/fake-connection.ts';
import { fakeIo } from './testing/render-app.tsx';
import { sessionStage } from './testing/states.ts';
import { themes } from './theme.ts';
import { waitFor } from './testing/wait-for.ts';

afterEach(() => cleanup());

const history = { event: 'chat_history', content: '', metadata: { history: [{ role: 'assistant', content: 'The gate looms.', n: 1 }] } } as const;

async function connected() {
  const connection = new FakeConnection();
  const app = render(<App connection={connection} theme={themes.plain} io={fakeIo()} columns={100} rows={30} />);
  await waitFor(() => connection.started);
  connection.setStatus({ state: 'open' });
  connection.emit(readyEvent);
  connection.emit(syncState(sessionStage));
  return { connection, frame: () => app.lastFrame() ?? '' };
}

describe('App: loading the session after connecting', () => {
  it('an engine that sends the history with its handshake is not asked for it again', async () => {
    const { connection, frame } = await connected();
    connection.emit(history);
    await waitFor(() => expect(frame()).toContain('The gate looms.'));
    // Longer than the grace the app gives the engine; nothing is asked.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(connection.sent).toEqual([]);
  });

  it('an engine that does not is asked once', async () => {
    const { connection } = await connected();
    await waitFor(() => expect(connection.sent).toEqual([`/session continue ${sessionStage.session_id}`]));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(connection.sent).toHaveLength(1);
  });
});
