import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { reply } from '../testing/scripted-models.ts';
import { editableStory, historyOf, memoryTexts, playStory, sendAndSettle, summaries } from './story-test-support.ts';

describe('/edit <text>', () => {
  it('rewrites the last message and regenerates; the old reply stays an alternative; memory follows', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await playStory(h, client, [
      ['I wave.', 'The guard nods.'],
      ['I draw my sword.', 'The guard shouts.'],
    ]);
    summaries(h).save({ sessionId, text: 'Summary.', coversUpToMessageId: 2, updatedAt: 0 });
    h.models.enqueue(reply('The guard smiles.'));
    await sendAndSettle(client, '/edit I offer a coin.');
    expect(client.lines()[0]).toBe('system_update: ✓ Edited your last message; regenerating the reply…');
    expect(h.models.requests.at(-1)?.messages.at(-1)).toEqual({ role: 'user', content: 'I offer a coin.' });
    expect(historyOf(client).slice(-2)).toMatchObject([
      { n: 4, role: 'user', content: 'I offer a coin.' },
      { n: 5, role: 'assistant', content: 'The guard smiles.', swipe_index: 1, swipe_count: 2 },
    ]);
    expect(memoryTexts(h, sessionId)).toEqual(['User: I wave.\nAI: The guard nods.', 'User: I offer a coin.\nAI: The guard smiles.']);
    expect(summaries(h).get(sessionId)).toBeUndefined();
  });

  it('refuses when the player has written nothing yet', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    await client.send('/edit Something else.');
    await client.send('/edit');
    expect(client.lines()).toEqual([
      '✗ There is no message of yours to edit yet. To edit another message: /edit [N] <text> (N as numbered in the chat).',
      '✗ Missing argument for /edit. Usage: /edit [N] <text>',
    ].map((line) => `system_update: ${line}`));
  });
});

describe('/edit N <text>', () => {
  it('rewrites any message by its number, rebuilds the memories built from it, drops the summary', async () => {
    const { h, asker, other, sessionId } = await editableStory();
    await asker.send('/edit 3 The guard frowns.');
    for (const client of [asker, other]) {
      expect(client.lines()).toEqual(["system_update: ✓ Edited message 3 ('The guard frowns.')", 'chat_history']);
      expect(historyOf(client)[2]).toMatchObject({ n: 3, role: 'assistant', content: 'The guard frowns.' });
    }
    expect(h.models.requests).toHaveLength(2);
    expect([...memoryTexts(h, sessionId)].sort()).toEqual(['User: I bow.\nAI: The guard laughs.', 'User: I wave.\nAI: The guard frowns.']);
    expect(summaries(h).get(sessionId)).toBeUndefined();
  });

  it('refuses a number outside the chat, naming the valid range', async () => {
    const h = createHarness();
    const client = h.connect();
    await playStory(h, client, [['I wave.', 'The guard nods.']]);
    await client.send('/edit 9 Anything.');
    await client.send('/edit 0 Anything.');
    expect(client.lines()).toEqual([
      "system_update: ✗ '9' is not a message number: messages are numbered 1 to 3. Usage: /edit [N] <text>",
      "system_update: ✗ '0' is not a message number: messages are numbered 1 to 3. Usage: /edit [N] <text>",
    ]);
  });

  it('needs an active session', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/edit 1 Text.');
    expect(client.lines()).toEqual([
      'system_update: ✗ No active session: start one with /session new or pick one with /session continue <id>.',
    ]);
  });
});
