import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { editableStory, memoryTexts, summaries } from './story-test-support.ts';

describe('/undo', () => {
  it('removes the last message of the player and its reply, and their memory', async () => {
    const { h, asker, other, sessionId } = await editableStory();
    await asker.send('/undo');
    for (const client of [asker, other]) {
      expect(client.lines()).toEqual(['system_update: ✓ Undid the last exchange (2 messages removed)', 'chat_history']);
      expect(client.last('chat_history')?.metadata.history).toHaveLength(3);
    }
    expect(h.store.messages.list(sessionId).map((m) => m.content)).toEqual([
      'Rain lashes the drawbridge as you arrive.',
      'I wave.',
      'The guard nods.',
    ]);
    expect(memoryTexts(h, sessionId)).toEqual(['User: I wave.\nAI: The guard nods.']);
    expect(summaries(h).get(sessionId)).toBeUndefined();
    await asker.send('/undo');
    expect(memoryTexts(h, sessionId)).toEqual([]);
    asker.take();
    await asker.send('/undo');
    expect(asker.lines()).toEqual(['system_update: ✗ Nothing to undo: there is no message of yours in this session.']);
    expect(h.store.messages.count(sessionId)).toBe(1);
  });

  it('refuses an argument and a missing session', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/undo');
    await client.send('/undo 2');
    expect(client.lines()).toEqual([
      'system_update: ✗ No active session: start one with /session new or pick one with /session continue <id>.',
      'system_update: ✗ /undo takes no argument. Usage: /undo',
    ]);
  });
});
