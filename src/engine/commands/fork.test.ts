import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { reply } from '../testing/scripted-models.ts';
import { historyOf, memoryTexts, playStory, sendAndSettle } from './story-test-support.ts';

describe('/fork', () => {
  it('copies messages 1..N into a new session recorded with its parent, which becomes active', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const parent = await playStory(h, asker, [
      ['I wave.', 'The guard nods.'],
      ['I bow.', 'The guard laughs.'],
    ]);
    other.take();
    await asker.send('/fork 3');
    const fork = h.store.profiles.load('default')?.sessionId ?? '';
    expect(fork).not.toBe(parent);
    for (const client of [asker, other]) {
      expect(client.lines()).toEqual([
        `system_update: ✓ Forked session ${fork} from message 3 of ${parent}; it is now active`,
        'sync_state: State synchronized',
        'chat_history',
      ]);
      expect(client.last('sync_state')?.metadata).toMatchObject({ session_id: fork, session_parents: { [fork]: parent } });
      expect(client.last('chat_history')?.metadata.history).toMatchObject([
        { n: 1, content: 'Rain lashes the drawbridge as you arrive.' },
        { n: 2, content: 'I wave.' },
        { n: 3, content: 'The guard nods.' },
      ]);
    }
    expect(h.store.sessions.get('default', fork)).toMatchObject({ parentId: parent, worldId: 'castle', characterId: 'knight' });
    expect(memoryTexts(h, fork)).toEqual(['User: I wave.\nAI: The guard nods.']);
    // The parent is untouched.
    expect(h.store.messages.count(parent)).toBe(5);
    expect(memoryTexts(h, parent)).toHaveLength(2);
  });

  it('copies everything by default, alternatives included', async () => {
    const h = createHarness();
    const client = h.connect();
    const parent = await playStory(h, client, [['I wave.', 'The guard nods.']]);
    h.models.enqueue(reply('The guard waves back.'));
    await sendAndSettle(client, '/regenerate');
    await client.send('/fork');
    const fork = h.store.profiles.load('default')?.sessionId ?? '';
    expect(fork).not.toBe(parent);
    expect(historyOf(client).at(-1)).toMatchObject({
      n: 3,
      content: 'The guard waves back.',
      swipe_index: 1,
      swipe_count: 2,
    });
    // Swiping in the branch leaves the parent as it was.
    await client.send('/swipe prev');
    expect(h.store.messages.list(fork).at(-1)?.content).toBe('The guard nods.');
    expect(h.store.messages.list(parent).at(-1)?.content).toBe('The guard waves back.');
  });

  it("copies the author's note and which messages are hidden; the branch's flags are its own", async () => {
    const h = createHarness();
    const client = h.connect();
    const parent = await playStory(h, client, [
      ['I wave.', 'The guard nods.'],
      ['I bow.', 'The guard laughs.'],
    ]);
    await client.send('/note The guard is a spy.');
    await client.send('/hide 2-3');
    await client.send('/fork 4');
    const fork = h.store.profiles.load('default')?.sessionId ?? '';
    expect(fork).not.toBe(parent);
    expect(h.store.sessions.note(fork)).toBe('The guard is a spy.');
    expect(historyOf(client).map(({ n, hidden }) => [n, hidden ?? false])).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, false],
    ]);
    expect(client.last('sync_state')?.metadata.session_note).toBe('The guard is a spy.');
    expect(memoryTexts(h, fork)).toEqual([]);
    await client.send('/unhide 2-3');
    await client.send('/note clear');
    expect(h.store.messages.list(parent).map((m) => m.hidden ?? false)).toEqual([false, true, true, false, false]);
    expect(h.store.sessions.note(parent)).toBe('The guard is a spy.');
  });

  it('refuses a number outside the chat and a missing session', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/fork');
    await playStory(h, client, [['I wave.', 'The guard nods.']]);
    await client.send('/fork 7');
    await client.send('/fork x');
    expect(client.lines()).toEqual([
      "system_update: ✗ '7' is not a message number: messages are numbered 1 to 3. Usage: /fork [N]",
      "system_update: ✗ 'x' is not a message number: messages are numbered 1 to 3. Usage: /fork [N]",
    ]);
    expect(h.store.sessions.listRecent('default', 15)).toHaveLength(1);
  });
});
