import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';

describe('/rules clear', () => {
  it('deactivates every rule, persists it, and tells every client: notice then sync_state', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    await asker.send('/rules add grim');
    await asker.send('/rules add nsfw');
    asker.take();
    other.take();
    await asker.send('/rules clear');
    for (const client of [asker, other]) {
      expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state']);
      expect(client.events[0]).toMatchObject({ content: '✓ All active rules cleared', metadata: { active_rules: [] } });
      expect(client.events[1]?.metadata.active_rules).toEqual([]);
    }
    expect(h.store.profiles.load('default')?.activeRules).toEqual([]);
  });

  it('refuses an argument, since it takes none', async () => {
    const h = createHarness();
    const client = h.connect();
    await client.send('/rules add grim');
    client.take();
    await client.send('/rules clear grim');
    expect(client.lines()).toEqual(['system_update: ✗ /rules clear takes no argument. Usage: /rules clear']);
    expect(h.store.profiles.load('default')?.activeRules).toEqual(['grim']);
  });
});
