import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { reply } from '../testing/scripted-models.ts';
import { historyOf, memoryTexts, playStory, sendAndSettle, summaries } from './story-test-support.ts';

describe('/swipe', () => {
  it('moves between alternatives; only the chosen one is history, memory and prompt', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await playStory(h, asker, [['I knock.', 'Nobody answers.']]);
    h.models.enqueue(reply('A guard opens.'));
    await sendAndSettle(asker, '/regenerate');
    asker.take();
    other.take();
    summaries(h).save({ sessionId, text: 'Summary.', coversUpToMessageId: 2, updatedAt: 0 });

    await asker.send('/swipe prev');
    for (const client of [asker, other]) {
      expect(client.lines()).toEqual(['system_update: ✓ Alternative 1/2', 'chat_history']);
      expect(historyOf(client).at(-1)).toMatchObject({
        role: 'assistant',
        content: 'Nobody answers.',
        swipe_index: 0,
        swipe_count: 2,
      });
    }
    expect(memoryTexts(h, sessionId)).toEqual(['User: I knock.\nAI: Nobody answers.']);
    expect(summaries(h).get(sessionId)).toBeUndefined();

    await asker.send('/swipe next');
    expect(asker.last('system_update')?.content).toBe('✓ Alternative 2/2');
    expect(memoryTexts(h, sessionId)).toEqual(['User: I knock.\nAI: A guard opens.']);

    // The next turn's prompt holds the chosen alternative only.
    await asker.send('I step in.');
    await asker.waitForEnd();
    const prompt = h.models.requests.at(-1)?.messages.map((m) => m.content) ?? [];
    expect(prompt).toContain('A guard opens.');
    expect(prompt).not.toContain('Nobody answers.');
  });

  it('past the last alternative asks for a new one, like SillyTavern', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await playStory(h, client, [['I knock.', 'Nobody answers.']]);
    h.models.enqueue(reply('Footsteps approach.'));
    await sendAndSettle(client, '/swipe next');
    expect(client.lines()[0]).toBe('system_update: ✓ That was the last alternative (1/1): generating a new one…');
    expect(historyOf(client).at(-1)).toMatchObject({ content: 'Footsteps approach.', swipe_index: 1, swipe_count: 2 });
    expect(h.models.requests).toHaveLength(2);
    expect(memoryTexts(h, sessionId)).toEqual(['User: I knock.\nAI: Footsteps approach.']);
  });

  it('refuses a bad direction, going before the first, and a session with nothing to swipe', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    await client.send('/swipe next');
    await client.send('I knock.');
    await client.waitForEnd();
    client.take();
    await client.send('/swipe left');
    await client.send('/swipe prev');
    await client.send('/swipe');
    expect(client.lines()).toEqual([
      "system_update: ✗ Unknown direction 'left': use next or prev. Usage: /swipe next|prev",
      'system_update: ✗ Already at the first alternative (1/1). Use /swipe next.',
      'system_update: ✗ Missing argument for /swipe. Usage: /swipe next|prev',
    ]);
  });

  it('says there is nothing to swipe before the first exchange', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    await client.send('/swipe next');
    expect(client.lines()).toEqual(['system_update: ✗ There is no reply to your last message to swipe. Write a move, or use /regenerate.']);
  });
});
