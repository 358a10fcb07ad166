import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { createGate, reply, ScriptedModels, testModel } from '../testing/scripted-models.ts';

describe('/session continue', () => {
  it('makes the session active with its world, character and model; chat_history then sync_state to every client', async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [testModel('p/a'), testModel('p/b')] }) });
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const first = await h.prepareStage(asker);
    await asker.send('I light a torch.');
    await asker.waitForEnd();
    // Move everything elsewhere, then come back.
    await asker.send('/world select station');
    await asker.send('/character select pilot');
    await asker.send('/model p/b');
    await asker.send('/session new');
    asker.take();
    other.take();
    await asker.send(`/session continue ${first}`);
    for (const client of [asker, other]) {
      expect(client.events.map((e) => e.event)).toEqual(['chat_history', 'sync_state']);
      expect(client.events[0]?.metadata.history).toMatchObject([
        { role: 'assistant', content: 'Rain lashes the drawbridge as you arrive.' },
        { role: 'user', content: 'I light a torch.' },
        { role: 'assistant', content: 'The narrator answers.' },
      ]);
      expect(client.events[1]?.metadata).toMatchObject({
        session_id: first,
        world_id: 'castle',
        character_id: 'knight',
        model: 'p/a',
        model_confirmed: true,
      });
    }
    expect(h.store.profiles.load('default')).toMatchObject({ sessionId: first, worldId: 'castle', characterId: 'knight', model: 'p/a' });
  });

  it('continuing a session whose reply streams sends its text so far after the history', async () => {
    const h = createHarness();
    const client = h.connect();
    const streaming = await h.prepareStage(client);
    const gate = createGate();
    h.models.enqueue([{ type: 'text', text: 'Half ' }, { type: 'gate', gate }, ...reply('whole.')]);
    await client.send('Tell me.');
    await client.waitFor((events) => events.some((e) => e.event === 'chat_chunk'));
    await client.send('/session new');
    client.take();
    await client.send(`/session continue ${streaming}`);
    expect(client.lines()).toEqual(['chat_history', 'sync_state: State synchronized', 'chat_chunk: Half ']);
    gate.open();
    await client.waitForEnd();
    expect(client.text()).toBe('Half whole.');
  });

  it('refuses an unknown session naming the recent ones, only to the asker', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const id = await h.prepareStage(asker);
    other.take();
    await asker.send('/session continue abcdefabcdef');
    expect(asker.lines()).toEqual([`system_update: ✗ Unknown session 'abcdefabcdef'. Recent sessions: ${id}`]);
    expect(other.events).toEqual([]);
  });

  it('does not continue a session of another profile', async () => {
    const h = createHarness();
    const alice = h.connect('alice');
    await alice.send('/world select castle');
    await alice.send('/character select knight');
    await alice.send('/session new');
    const aliceSession = h.store.profiles.load('alice')?.sessionId ?? '';
    const bob = h.connect('bob');
    bob.take();
    await bob.send(`/session continue ${aliceSession}`);
    expect(bob.lines()).toEqual([`system_update: ✗ Unknown session '${aliceSession}'. Recent sessions: none`]);
  });

  it('refuses an invalid id and a missing argument', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/session continue ../../x');
    await client.send('/session continue');
    expect(client.lines()).toEqual([
      "system_update: ✗ Invalid session id '../../x': session ids are 12 hex digits.",
      'system_update: ✗ Missing argument for /session continue. Usage: /session continue <id>',
    ]);
  });
});
