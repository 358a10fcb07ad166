import { describe, expect, it } from 'vitest';
import { createGate, reply } from '../testing/scripted-models.ts';
import { createHarness } from '../testing/harness.ts';

describe('/session delete', () => {
  it('deletes the session with its messages and memory, clears it if active; notice then sync_state to every client', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const id = await h.prepareStage(asker);
    await asker.send('I open the vault.');
    await asker.waitForEnd();
    expect(h.store.memory.list(id)).toHaveLength(1);
    asker.take();
    other.take();
    await asker.send(`/session delete ${id}`);
    for (const client of [asker, other]) {
      expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state']);
      expect(client.events[0]?.content).toBe(`✓ Deleted session ${id}`);
      expect(client.events[1]?.metadata).toMatchObject({ session_id: '', available_sessions: [] });
    }
    expect(h.store.sessions.get('default', id)).toBeUndefined();
    expect(h.store.messages.count(id)).toBe(0);
    expect(h.store.memory.list(id)).toEqual([]);
    expect(h.store.profiles.load('default')?.sessionId).toBe('');
  });

  it('keeps the active session when another one is deleted', async () => {
    const h = createHarness();
    const client = h.connect();
    const old = await h.prepareStage(client);
    await client.send('/session new');
    const active = h.store.profiles.load('default')?.sessionId;
    client.take();
    await client.send(`/session delete ${old}`);
    expect(client.last('sync_state')?.metadata.session_id).toBe(active);
  });

  it('refuses while a reply streams in that session', async () => {
    const h = createHarness();
    const client = h.connect();
    const id = await h.prepareStage(client);
    const gate = createGate();
    h.models.enqueue([{ type: 'text', text: 'The door' }, { type: 'gate', gate }, ...reply(' opens.')]);
    await client.send('I push the door.');
    await client.waitFor((events) => events.some((e) => e.event === 'chat_chunk'));
    client.take();
    await client.send(`/session delete ${id}`);
    expect(client.lines()).toEqual([
      `system_update: ✗ A reply is still streaming in session ${id}. Wait for it or /cancel, then delete.`,
    ]);
    gate.open();
    await client.waitForEnd();
    expect(h.store.sessions.get('default', id)).toBeDefined();
  });

  it('refuses an unknown session, an invalid id and a missing argument', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/session delete 123456789abc');
    await client.send('/session delete a b');
    await client.send('/session delete');
    expect(client.lines()).toEqual([
      "system_update: ✗ Unknown session '123456789abc'. Recent sessions: none",
      "system_update: ✗ Invalid session id 'a b': session ids are 12 hex digits.",
      'system_update: ✗ Missing argument for /session delete. Usage: /session delete <id>',
    ]);
  });
});
