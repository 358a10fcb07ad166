/**
 * Profiles sharing one engine (one token each) never see or touch each other's sessions,
 * state or streams. Clients connect the way the transport does: `engine.connect(profileId, …)`.
 */
import { describe, expect, it } from 'vitest';
import type { AnyServerEvent } from '../protocol/index.ts';
import { createHarness, type Harness, type TestClient } from './testing/harness.ts';

async function stage(h: Harness, client: TestClient, profileId: string, world = 'castle'): Promise<string> {
  await client.send(`/world select ${world}`);
  await client.send('/character select knight');
  const model = h.models.listModels()[0];
  if (model) await client.send(`/model ${model.id}`);
  await client.send('/session new');
  const sessionId = h.store.sessions.listRecent(profileId, 1)[0]?.id ?? '';
  expect(sessionId, `${profileId} has a session`).toMatch(/^[0-9a-f]{12}$/);
  return sessionId;
}

const sessionIds = (event: AnyServerEvent | undefined): string[] =>
  ((event?.metadata.available_sessions ?? []) as { id: string }[]).map((session) => session.id);

describe('profile isolation', () => {
  it('lists only the profile’s own sessions in sync_state, also to clients that connect later', async () => {
    const h = createHarness();
    const alice = h.connect('alice', 'alice');
    const bob = h.connect('bob', 'bob');
    const aliceSession = await stage(h, alice, 'alice');
    const bobSession = await stage(h, bob, 'bob', 'station');

    for (const event of alice.named('sync_state')) expect(sessionIds(event)).not.toContain(bobSession);
    for (const event of bob.named('sync_state')) expect(sessionIds(event)).not.toContain(aliceSession);
    expect(sessionIds(h.connect('alice', 'alice 2').last('sync_state'))).toEqual([aliceSession]);
    expect(sessionIds(h.connect('bob', 'bob 2').last('sync_state'))).toEqual([bobSession]);
    expect(h.connect('default', 'default').last('sync_state')?.metadata).toMatchObject({ session_id: '', available_sessions: [] });
  });

  it('answers /session continue and /session delete of another profile’s id as ✗ unknown, changing nothing', async () => {
    const h = createHarness();
    const alice = h.connect('alice', 'alice');
    const bob = h.connect('bob', 'bob');
    const aliceSession = await stage(h, alice, 'alice');
    const bobSession = await stage(h, bob, 'bob', 'station');
    alice.take();
    bob.take();

    await bob.send(`/session continue ${aliceSession}`);
    expect(bob.lines()).toEqual([expect.stringMatching(new RegExp(`^system_update: ✗ Unknown session '${aliceSession}'`))]);
    bob.take();
    await bob.send(`/session delete ${aliceSession}`);
    expect(bob.lines()).toEqual([expect.stringMatching(/^system_update: ✗ Unknown session/)]);

    expect(alice.events, 'alice hears nothing of it').toEqual([]);
    expect(h.store.sessions.get('alice', aliceSession)).toBeDefined();
    expect(h.connect('bob', 'bob 2').last('sync_state')?.metadata.session_id).toBe(bobSession);
  });

  it('streams a reply only to the clients of the profile that asked', async () => {
    const h = createHarness();
    const alice = h.connect('alice', 'alice');
    const aliceTwo = h.connect('alice', 'alice on a phone');
    const bob = h.connect('bob', 'bob');
    await stage(h, alice, 'alice');
    await stage(h, bob, 'bob', 'station');
    alice.take();
    aliceTwo.take();
    bob.take();

    await alice.send('I knock on the gate.');
    await alice.waitForEnd();
    await aliceTwo.waitForEnd();
    expect(alice.text()).not.toBe('');
    expect(aliceTwo.text()).toBe(alice.text());
    expect(bob.events, 'bob receives nothing of alice’s turn').toEqual([]);

    await bob.send('I check the airlock.');
    await bob.waitForEnd();
    expect(bob.text()).not.toBe('');
    expect(alice.named('chat_end')).toHaveLength(1);
  });

  it('keeps each profile’s world, character and model choices apart', async () => {
    const h = createHarness();
    const alice = h.connect('alice', 'alice');
    const bob = h.connect('bob', 'bob');
    await alice.send('/world select castle');
    await bob.send('/world select station');
    expect(h.connect('alice', 'a2').last('sync_state')?.metadata.world_id).toBe('castle');
    expect(h.connect('bob', 'b2').last('sync_state')?.metadata.world_id).toBe('station');
    expect(bob.named('sync_state').map((e) => e.metadata.world_id)).not.toContain('castle');
  });
});
