import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { editableStory, memoryTexts, playStory, summaries } from './story-test-support.ts';

describe('/delete N', () => {
  it('deletes the message with that number; its memory goes, the others stay; numbers follow', async () => {
    const { h, asker, other, sessionId } = await editableStory();
    await asker.send('/delete 2');
    for (const client of [asker, other]) {
      expect(client.lines()).toEqual(['system_update: ✓ Deleted message 2', 'chat_history']);
      expect(client.last('chat_history')?.metadata.history).toMatchObject([
        { n: 1, content: 'Rain lashes the drawbridge as you arrive.' },
        { n: 2, content: 'The guard nods.' },
        { n: 3, content: 'I bow.' },
        { n: 4, content: 'The guard laughs.' },
      ]);
    }
    expect(memoryTexts(h, sessionId)).toEqual(['User: I bow.\nAI: The guard laughs.']);
    expect(summaries(h).get(sessionId)).toBeUndefined();
  });

  it('refuses what is not a message number, naming the range', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await playStory(h, client, [['I wave.', 'The guard nods.']]);
    await client.send('/delete 4');
    await client.send('/delete last');
    await client.send('/delete');
    expect(client.lines()).toEqual([
      "system_update: ✗ '4' is not a message number: messages are numbered 1 to 3. Usage: /delete <N>",
      "system_update: ✗ 'last' is not a message number: messages are numbered 1 to 3. Usage: /delete <N>",
      'system_update: ✗ Missing argument for /delete. Usage: /delete <N>',
    ]);
    expect(h.store.messages.count(sessionId)).toBe(3);
  });
});
