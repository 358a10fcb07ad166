import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { INPUT_LOCKED_TEXT } from './components/InputBox.tsx';
import { keys, renderApp } from './testing/render-app.tsx';
import { waitFor } from './testing/wait-for.ts';

afterEach(() => cleanup());

const thinking = (content: string) => ({ event: 'reasoning_chunk', content, metadata: { model: 'openai/gpt-4o-mini' } }) as const;

describe('App: a reasoning model thinking', () => {
  it('shows "thinking…" with a running size while it thinks, keeps it above the reply, and Ctrl+T shows it in full', async () => {
    const { press, see, frame, connection, io } = await renderApp({ inSession: true });
    connection.emit({ event: 'chat_history', content: '', metadata: { history: [{ role: 'assistant', content: 'The gate looms.', n: 1 }] } });
    await see('The gate looms.');
    await press('I knock.', keys.enter);
    await see(INPUT_LOCKED_TEXT);

    connection.emit(thinking('The player knocks. '));
    connection.emit(thinking('Keep the keeper wary.'));
    await see('▸ thinking… 40 chars · Ctrl+T shows');
    expect(frame()).not.toContain('Keep the keeper wary.');

    connection.emit({ event: 'chat_chunk', content: 'A slot in the door slides open.', metadata: {} });
    await see('A slot in the door slides open.');
    await see('▸ thought · 40 chars');

    await press(keys.ctrlT);
    await see('┆ The player knocks. Keep the keeper wary.');
    await see('▾ thought · 40 chars · Ctrl+T hides');
    connection.emit({ event: 'chat_end', content: '', metadata: { total_tokens: 9 } });
    await waitFor(() => expect(frame()).not.toContain(INPUT_LOCKED_TEXT));

    await press(keys.ctrlY);
    await waitFor(() => expect(io.copied).toEqual(['A slot in the door slides open.']));

    await press(keys.ctrlT);
    await waitFor(() => expect(frame()).not.toContain('┆ The player'));
    expect(frame()).toContain('▸ thought · 40 chars');
  });

  it('Ctrl+T with no thinking anywhere says why nothing changed; the help lists the key', async () => {
    const { press, see } = await renderApp({ inSession: true });
    await press(keys.ctrlT);
    await see('No thinking to show (only reasoning models send it)');
    await press(keys.f1);
    await see('Flower help');
    await press(keys.pageDown);
    await see("Ctrl+T                          Show or hide the narrator's thinking");
  });
});
