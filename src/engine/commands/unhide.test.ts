import { describe, expect, it } from 'vitest';
import { reply } from '../testing/scripted-models.ts';
import { editableStory, historyOf, memoryTexts } from './story-test-support.ts';

describe('/unhide', () => {
  it('shows hidden messages to the narrator again: back in the prompt and the memories', async () => {
    const { h, asker, other, sessionId } = await editableStory();
    await asker.send('/hide 2-3');
    asker.take();
    other.take();
    await asker.send('/unhide 2-3');
    for (const client of [asker, other]) {
      expect(client.lines()).toEqual(['system_update: ✓ The narrator sees messages 2–3 again', 'chat_history']);
      expect(historyOf(client).some((entry) => 'hidden' in entry)).toBe(false);
    }
    expect(h.store.messages.list(sessionId).some((m) => m.hidden)).toBe(false);
    expect(memoryTexts(h, sessionId).sort()).toEqual(['User: I bow.\nAI: The guard laughs.', 'User: I wave.\nAI: The guard nods.']);

    h.models.enqueue(reply('The guard sighs.'));
    await asker.send('I leave.');
    await asker.waitForEnd();
    expect(h.models.requests.at(-1)?.messages.map((m) => m.content)).toContain('The guard nods.');
  });

  it('answers that the narrator sees a shown message already, and refuses a bad number', async () => {
    const { h, asker, other, sessionId } = await editableStory();
    await asker.send('/unhide 2');
    await asker.send('/unhide 6');
    await asker.send('/unhide 2-');
    expect(asker.lines()).toEqual([
      'system_update: ✓ The narrator already sees message 2',
      "system_update: ✗ '6' is outside the chat: messages are numbered 1 to 5. Usage: /unhide <N>|<N-M>",
      "system_update: ✗ '2-' is not a message number or range (N or N-M): messages are numbered 1 to 5. Usage: /unhide <N>|<N-M>",
    ]);
    expect(other.events).toEqual([]);
    // Nothing changed, so the summary stays.
    expect(h.store.summaries.get(sessionId)?.text).toBe('Summary.');
  });
});
