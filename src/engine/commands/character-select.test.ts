import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';

describe('/character select', () => {
  it('sets the character, persists it, and tells every client: notice then sync_state', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    asker.take();
    other.take();
    await asker.send('/character select thief');
    for (const client of [asker, other]) {
      expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state']);
      expect(client.events[0]).toMatchObject({ content: 'Active character set to thief', metadata: { character_id: 'thief' } });
      expect(client.events[1]?.metadata.character_id).toBe('thief');
    }
    expect(h.store.profiles.load('default')?.characterId).toBe('thief');
  });

  it('refuses an unknown character naming those that exist, only to the asker', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    asker.take();
    other.take();
    await asker.send('/character select ghost');
    expect(asker.lines()).toEqual(["system_update: ✗ Unknown character 'ghost'. Available: knight, thief, pilot"]);
    expect(other.events).toEqual([]);
    expect(h.store.profiles.load('default')).toBeUndefined();
  });

  it('refuses an invalid id and a missing argument', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/character select a.b');
    await client.send('/character select');
    expect(client.lines()).toEqual([
      "system_update: ✗ Invalid character id 'a.b': ids use only letters, digits, '_' and '-'.",
      'system_update: ✗ Missing argument for /character select. Usage: /character select <id>',
    ]);
  });
});
