import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { createGate, reply } from '../testing/scripted-models.ts';
import { historyOf, memoryTexts, playStory, sendAndSettle, summaries } from './story-test-support.ts';

describe('/regenerate', () => {
  it('answers the last message again, keeps the old reply as an alternative, and only the chosen one is memory', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await playStory(h, asker, [
      ['I look around.', 'A dark hall.'],
      ['I open the door.', 'It is locked.'],
    ]);
    other.take();
    summaries(h).save({ sessionId, text: 'Old summary.', coversUpToMessageId: 1, updatedAt: 0 });
    h.models.enqueue(reply('It swings open.'));
    await sendAndSettle(asker, '/regenerate');
    for (const client of [asker, other]) {
      await client.waitFor((events) => events.filter((e) => e.event === 'chat_history').length === 2);
      expect(client.lines()).toEqual([
        'system_update: ✓ Regenerating the reply…',
        'chat_history',
        'chat_chunk: It swings open.',
        'chat_end',
        'chat_history',
      ]);
      // While it streams, the replaced reply is out of the view.
      expect(client.events[1]?.metadata.history).toMatchObject([{}, {}, {}, { content: 'I open the door.' }]);
      expect(client.last('chat_history')?.metadata.history).toMatchObject([
        { n: 1 },
        { n: 2, content: 'I look around.' },
        { n: 3, content: 'A dark hall.' },
        { n: 4, content: 'I open the door.' },
        { n: 5, role: 'assistant', content: 'It swings open.', swipe_index: 1, swipe_count: 2 },
      ]);
    }
    const prompt = h.models.requests.at(-1)?.messages ?? [];
    expect(prompt.at(-1)).toEqual({ role: 'user', content: 'I open the door.' });
    expect(prompt.map((m) => m.content)).not.toContain('It is locked.');
    const last = h.store.messages.list(sessionId).at(-1);
    expect(last).toMatchObject({ content: 'It swings open.', status: 'complete' });
    expect(h.store.swipes?.list(last?.id ?? 0)).toMatchObject([{ position: 0, content: 'It is locked.' }]);
    expect(memoryTexts(h, sessionId)).toEqual(['User: I look around.\nAI: A dark hall.', 'User: I open the door.\nAI: It swings open.']);
    expect(summaries(h).get(sessionId)).toBeUndefined();
  });

  it('brings the previous reply back when the new one has no text', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await playStory(h, client, [['Hello.', 'Greetings.']]);
    h.models.enqueue(reply(''));
    await sendAndSettle(client, '/regenerate');
    expect(client.lines()).toContain('system_update: ✗ scripted/narrator returned no text. Try again, or pick another model with /model <id>.');
    expect(client.last('chat_history')?.metadata.history).toMatchObject([{}, {}, { content: 'Greetings.' }]);
    expect(historyOf(client).at(-1)).not.toHaveProperty('swipe_count');
    const last = h.store.messages.list(sessionId).at(-1);
    expect(last).toMatchObject({ content: 'Greetings.', status: 'complete' });
    expect(h.store.swipes?.list(last?.id ?? 0)).toEqual([]);
    expect(memoryTexts(h, sessionId)).toEqual(['User: Hello.\nAI: Greetings.']);
  });

  it('gives a first reply to a message whose reply failed empty', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    h.models.enqueue([{ type: 'error', kind: 'upstream', message: 'down', provider: 'p' }]);
    await client.send('Hello?');
    await client.waitForEnd();
    h.models.enqueue(reply('Here I am.'));
    await sendAndSettle(client, '/regenerate');
    const contents = h.store.messages.list(sessionId).map((m) => m.content);
    expect(contents).toEqual(['Rain lashes the drawbridge as you arrive.', 'Hello?', 'Here I am.']);
  });

  it('refuses without a message of the player, while a reply streams, and with an argument', async () => {
    const h = createHarness();
    const client = h.connect();
    await client.send('/regenerate');
    expect(client.lines().at(-1)).toBe('system_update: ✗ Prepare the stage first (World, Char, Session).');
    await h.prepareStage(client);
    await client.send('/regenerate');
    const gate = createGate();
    h.models.enqueue([{ type: 'gate', gate }, ...reply('Slow.')]);
    await client.send('Go.');
    await client.send('/regenerate');
    await client.send('/regenerate now');
    gate.open();
    await client.waitForEnd();
    expect(client.lines().filter((line) => line.startsWith('system_update'))).toEqual([
      'system_update: ✗ Nothing to regenerate: there is no message of yours yet. Write your first move.',
      'system_update: ✗ A reply is still streaming — wait for it or /cancel.',
      'system_update: ✗ /regenerate takes no argument. Usage: /regenerate',
    ]);
  });
});
