import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { keys, renderApp } from './testing/render-app.tsx';
import { waitFor } from './testing/wait-for.ts';

afterEach(() => cleanup());

/** The rows inside the input box: the last rows of the frame between its borders. */
const inputRows = (frame: string): string[] => {
  const rows = frame.split('\n');
  const top = rows.findLastIndex((row) => row.startsWith('╭'));
  return rows.slice(top + 1, -1).map((row) => row.slice(2, -2).trimEnd());
};

describe('App: a long input line', () => {
  it('wraps at word boundaries, and Up moves up a wrapped row instead of replacing it with an earlier input', async () => {
    const { press, see, frame, connection } = await renderApp({ columns: 40, inSession: true });
    await press('an earlier move', keys.enter);
    await waitFor(() => expect(connection.sent).toContain('an earlier move'));
    connection.emit({ event: 'chat_end', content: '', metadata: { total_tokens: 1 } });

    await press('I ask the keeper about every ship that came in without a crew');
    await see('without a crew');
    expect(inputRows(frame())).toEqual(['I ask the keeper about every ship', 'that came in without a crew']);
    await press(keys.up, 'X');
    await waitFor(() => expect(inputRows(frame())[0]).toBe('I ask the keeper about everXy ship'));
    // From the first row, Up browses earlier inputs as before.
    await press(keys.up);
    await waitFor(() => expect(inputRows(frame())).toEqual(['an earlier move']));
    await press(keys.down);
    await waitFor(() => expect(inputRows(frame()).join(' ')).toContain('without a crew'));
  });
});
