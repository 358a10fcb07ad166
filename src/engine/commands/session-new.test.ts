import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { sequenceRandom } from '../testing/fakes.ts';
import { Engine } from '../engine.ts';
import { FakeContent, sampleContent, testWorld } from '../testing/fake-content.ts';

describe('/session new', () => {
  it('creates a 12-hex-digit session with the start message; notice, sync_state, chat_history to every client', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    await asker.send('/world select castle');
    await asker.send('/character select knight');
    asker.take();
    other.take();
    await asker.send('/session new');
    const id = h.store.profiles.load('default')?.sessionId ?? '';
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    for (const client of [asker, other]) {
      expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state', 'chat_history']);
      expect(client.events[0]).toEqual({ event: 'system_update', content: `✓ New session: ${id}`, metadata: { session_id: id } });
      expect(client.events[1]?.metadata).toMatchObject({
        session_id: id,
        available_sessions: [{ id, name: '[castle] knight: ' }],
      });
      expect(client.events[2]?.metadata.history).toMatchObject([
        { role: 'assistant', content: 'Rain lashes the drawbridge as you arrive.' },
      ]);
    }
    expect(h.store.sessions.get('default', id)).toMatchObject({ worldId: 'castle', characterId: 'knight', parentId: null });
  });

  it('sends an empty history for a world without a start message', async () => {
    const h = createHarness();
    const client = h.connect();
    await client.send('/world select station');
    await client.send('/character select pilot');
    client.take();
    await client.send('/session new');
    expect(client.last('chat_history')?.metadata.history).toEqual([]);
  });

  it('needs a world and a character first', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    await asker.send('/world select castle');
    asker.take();
    other.take();
    await asker.send('/session new');
    expect(asker.lines()).toEqual(['system_update: ✗ Select world/char first.']);
    expect(other.events).toEqual([]);
    expect(h.store.sessions.listRecent('default', 15)).toEqual([]);
  });

  it('draws another id when the first one is taken', async () => {
    const h = createHarness();
    // All zeros twice, then a different id.
    const zeros = Array<number>(24).fill(0);
    const engine = new Engine({
      store: h.store,
      models: h.models,
      content: h.content,
      clock: h.clock,
      random: sequenceRandom([...zeros, 0.99]),
      logger: h.logger,
    });
    engine.start();
    const client = engine.connect('default', { send: () => {} });
    await client.handlePrompt('/world select castle');
    await client.handlePrompt('/character select knight');
    await client.handlePrompt('/session new');
    await client.handlePrompt('/session new');
    const ids = h.store.sessions.listRecent('default', 15).map((s) => s.id).sort();
    expect(ids).toEqual(['000000000000', 'ffffffffffff']);
  });

  it('starts with the Nth alternate greeting of an imported world', async () => {
    const content = sampleContent();
    const worlds = new Map(content.worlds);
    worlds.set('seraphina', testWorld('seraphina', { startMessage: 'Hello.', alternateGreetings: ['First other.', 'Second other.'] }));
    const h = createHarness({ content: new FakeContent({ ...content, worlds }) });
    const client = h.connect();
    await client.send('/world select seraphina');
    await client.send('/character select knight');
    client.take();
    await client.send('/session new 2');
    expect(client.last('chat_history')?.metadata.history).toMatchObject([{ role: 'assistant', content: 'Second other.' }]);
    await client.send('/session new');
    expect(client.last('chat_history')?.metadata.history).toMatchObject([{ role: 'assistant', content: 'Hello.' }]);
    client.take();
    await client.send('/session new 3');
    await client.send('/session new two');
    expect(client.lines()).toEqual([
      "system_update: ✗ '3' is not an alternate greeting: N is 1 to 2 (the world's alternate greetings). Usage: /session new [N]",
      "system_update: ✗ 'two' is not an alternate greeting: N is 1 to 2 (the world's alternate greetings). Usage: /session new [N]",
    ]);
  });

  it('refuses a greeting number when the world has no alternate greetings', async () => {
    const h = createHarness();
    const client = h.connect();
    await client.send('/world select castle');
    await client.send('/character select knight');
    client.take();
    await client.send('/session new 1');
    expect(client.lines()).toEqual([
      "system_update: ✗ '1' is not an alternate greeting: the world 'castle' has no alternate greetings. Usage: /session new [N]",
    ]);
    expect(h.store.sessions.listRecent('default', 15)).toEqual([]);
  });
});
