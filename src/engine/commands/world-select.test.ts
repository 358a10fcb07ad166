import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';

describe('/world select', () => {
  it('sets the world, persists it, and tells every client: notice then sync_state', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    asker.take();
    other.take();
    await asker.send('/world select castle');
    for (const client of [asker, other]) {
      expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state']);
      expect(client.events[0]).toMatchObject({ content: 'Active world set to castle', metadata: { world_id: 'castle' } });
      expect(client.events[1]?.metadata.world_id).toBe('castle');
    }
    expect(h.store.profiles.load('default')?.worldId).toBe('castle');
  });

  it('refuses an unknown world naming those that exist, and changes nothing', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    await asker.send('/world select castle');
    asker.take();
    other.take();
    await asker.send('/world select nowhere');
    expect(asker.lines()).toEqual(["system_update: ✗ Unknown world 'nowhere'. Available: castle, station"]);
    expect(other.events).toEqual([]);
    expect(h.store.profiles.load('default')?.worldId).toBe('castle');
  });

  it('refuses an id with characters outside [A-Za-z0-9_-]', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/world select ../etc/passwd');
    expect(client.lines()).toEqual([
      "system_update: ✗ Invalid world id '../etc/passwd': ids use only letters, digits, '_' and '-'.",
    ]);
  });

  it('asks for the argument when it is missing', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/world select');
    expect(client.lines()).toEqual(['system_update: ✗ Missing argument for /world select. Usage: /world select <id>']);
  });
});
