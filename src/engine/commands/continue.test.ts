import { describe, expect, it } from 'vitest';
import { CONTINUE_INSTRUCTION } from '../history/reply-again.ts';
import { createHarness } from '../testing/harness.ts';
import { reply } from '../testing/scripted-models.ts';
import { historyOf, memoryTexts, playStory, sendAndSettle, summaries } from './story-test-support.ts';

describe('/continue', () => {
  it('extends the last reply in place, streamed after its text so far, with one rebuilt memory', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await playStory(h, asker, [['I push the door.', 'The door']]);
    other.take();
    summaries(h).save({ sessionId, text: 'Summary.', coversUpToMessageId: 2, updatedAt: 0 });
    h.models.enqueue(reply(' creaks open.'));
    await sendAndSettle(asker, '/continue');
    await other.waitFor((events) => events.filter((e) => e.event === 'chat_history').length === 2);
    for (const client of [asker, other]) {
      expect(client.lines()).toEqual([
        'system_update: ✓ Continuing the last reply…',
        'chat_history',
        'chat_chunk: The door',
        'chat_chunk:  creaks open.',
        'chat_end',
        'chat_history',
      ]);
      expect(client.text()).toBe('The door creaks open.');
      expect(client.events[1]?.metadata.history).toHaveLength(2);
      expect(historyOf(client).at(-1)).toMatchObject({ n: 3, content: 'The door creaks open.' });
    }
    const prompt = h.models.requests.at(-1)?.messages ?? [];
    expect(prompt.slice(-3)).toEqual([
      { role: 'user', content: 'I push the door.' },
      { role: 'assistant', content: 'The door' },
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
    const messages = h.store.messages.list(sessionId);
    expect(messages).toHaveLength(3);
    expect(messages.at(-1)).toMatchObject({ content: 'The door creaks open.', status: 'complete' });
    expect(memoryTexts(h, sessionId)).toEqual(['User: I push the door.\nAI: The door creaks open.']);
    expect(summaries(h).get(sessionId)).toBeUndefined();
  });

  it('can extend the greeting before any move', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    h.models.enqueue(reply(' Thunder rolls.'));
    await sendAndSettle(client, '/continue');
    expect(h.store.messages.list(sessionId).map((m) => m.content)).toEqual(['Rain lashes the drawbridge as you arrive. Thunder rolls.']);
    expect(memoryTexts(h, sessionId)).toEqual([]);
  });

  it('leaves the reply as it was when nothing comes back', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await playStory(h, client, [['Hi.', 'Hello.']]);
    h.models.enqueue(reply(''));
    await sendAndSettle(client, '/continue');
    expect(h.store.messages.list(sessionId).at(-1)).toMatchObject({ content: 'Hello.', status: 'complete' });
  });

  it('refuses with nothing to continue, and when the last message is unanswered', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client, 'station');
    await client.send('/continue');
    h.models.enqueue([{ type: 'error', kind: 'upstream', message: 'down', provider: 'p' }]);
    await client.send('Hello?');
    await client.waitForEnd();
    h.store.messages.delete(h.store.messages.list(h.store.profiles.load('default')?.sessionId ?? '').at(-1)?.id ?? 0);
    await client.send('/continue');
    expect(client.lines().filter((line) => line.startsWith('system_update'))).toEqual([
      'system_update: ✗ There is no narrator reply to continue yet. Write your first move.',
      'system_update: ✗ Your last message has no reply to continue yet. Use /regenerate to get one.',
    ]);
  });
});
