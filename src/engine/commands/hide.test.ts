import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { reply } from '../testing/scripted-models.ts';
import { editableStory, historyOf, memoryTexts, playStory, sendAndSettle, summaries } from './story-test-support.ts';

describe('/hide', () => {
  it('hides a message from the narrator: still in the chat, out of the prompt, the memories and the summary', async () => {
    const { h, asker, other, sessionId } = await editableStory();
    await asker.send('/hide 3');
    for (const client of [asker, other]) {
      expect(client.lines()).toEqual(['system_update: ✓ Hid message 3 from the narrator; it stays in the chat (/unhide 3 shows it again)', 'chat_history']);
      expect(historyOf(client).map(({ n, content, hidden }) => ({ n, content, hidden }))).toEqual([
        { n: 1, content: 'Rain lashes the drawbridge as you arrive.', hidden: undefined },
        { n: 2, content: 'I wave.', hidden: undefined },
        { n: 3, content: 'The guard nods.', hidden: true },
        { n: 4, content: 'I bow.', hidden: undefined },
        { n: 5, content: 'The guard laughs.', hidden: undefined },
      ]);
    }
    expect(h.store.messages.count(sessionId)).toBe(5);
    expect(memoryTexts(h, sessionId)).toEqual(['User: I bow.\nAI: The guard laughs.']);
    expect(h.store.memory.search(sessionId, 'guard nods', 5).map((hit) => hit.item.text)).not.toContain('User: I wave.\nAI: The guard nods.');
    expect(summaries(h).get(sessionId)).toBeUndefined();

    h.models.enqueue(reply('The guard sighs.'));
    await asker.send('I leave.');
    await asker.waitForEnd();
    const sent = h.models.requests.at(-1)?.messages.map((m) => m.content) ?? [];
    expect(sent.slice(1)).toEqual(['Rain lashes the drawbridge as you arrive.', 'I wave.', 'I bow.', 'The guard laughs.', 'I leave.']);
    expect(sent.join('\n')).not.toContain('The guard nods.');
  });

  it('hides a range; messages hidden already are left as they are, and all-hidden changes nothing', async () => {
    const { h, asker, other, sessionId } = await editableStory();
    await asker.send('/hide 3');
    asker.take();
    other.take();
    await asker.send('/hide 2-4');
    expect(asker.lines()).toEqual(['system_update: ✓ Hid messages 2–4 from the narrator; it stays in the chat (/unhide 2-4 shows it again)', 'chat_history']);
    expect(h.store.messages.list(sessionId).map((m) => m.hidden ?? false)).toEqual([false, true, true, true, false]);
    expect(memoryTexts(h, sessionId)).toEqual([]);
    asker.take();
    other.take();
    await asker.send('/hide 3-4');
    expect(asker.lines()).toEqual(['system_update: ✓ Messages 3–4 are already hidden from the narrator']);
    expect(other.events).toEqual([]);
  });

  it('refuses what is not a message number or range, naming what is valid, and changes nothing', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/hide 1');
    const sessionId = await playStory(h, client, [['I wave.', 'The guard nods.']]);
    await client.send('/hide 0');
    await client.send('/hide 4');
    await client.send('/hide 3-1');
    await client.send('/hide the guard');
    await client.send('/hide');
    expect(client.lines()).toEqual([
      "system_update: ✗ '0' is outside the chat: messages are numbered 1 to 3. Usage: /hide <N>|<N-M>",
      "system_update: ✗ '4' is outside the chat: messages are numbered 1 to 3. Usage: /hide <N>|<N-M>",
      "system_update: ✗ '3-1' runs backwards: write the lower number first (1-3). Usage: /hide <N>|<N-M>",
      "system_update: ✗ 'the guard' is not a message number or range (N or N-M): messages are numbered 1 to 3. Usage: /hide <N>|<N-M>",
      'system_update: ✗ Missing argument for /hide. Usage: /hide <N>|<N-M>',
    ]);
    expect(h.store.messages.list(sessionId).some((m) => m.hidden)).toBe(false);
    expect(memoryTexts(h, sessionId)).toHaveLength(1);
  });

  it('says there is no session to hide anything in', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/hide 1');
    expect(client.lines()).toEqual(['system_update: ✗ No active session: start one with /session new or pick one with /session continue <id>.']);
  });

  it('keeps a reply written again in a hidden slot out of the memories sent', async () => {
    const { h, asker, sessionId } = await editableStory();
    await asker.send('/hide 5');
    h.models.enqueue(reply('The guard grins at the silver bells.'));
    await sendAndSettle(asker, '/regenerate');
    expect(h.store.messages.list(sessionId).at(-1)).toMatchObject({ content: 'The guard grins at the silver bells.', hidden: true });
    h.models.enqueue(reply('Nothing happens.'));
    await asker.send('I ring the silver bells.');
    await asker.waitFor((events) => events.filter((e) => e.event === 'chat_end').length >= 2);
    const sent = h.models.requests.at(-1)?.messages.map((m) => m.content).join('\n') ?? '';
    expect(sent).not.toContain('grins');
    expect(sent).toContain('I ring the silver bells.');
  });

  it('keeps a hidden roll from binding the next move', async () => {
    const h = createHarness();
    const client = h.connect();
    await playStory(h, client, [['I wave.', 'The guard nods.']]);
    await client.send('/roll d20');
    await client.send('/hide 4');
    h.models.enqueue(reply('You climb.'));
    await client.send('I climb.');
    await client.waitForEnd();
    expect(h.models.requests.at(-1)?.messages.at(-1)?.content).toBe('I climb.');
  });
});
