import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';

describe('/rules add', () => {
  it('activates a rule, persists it, and tells every client: notice then sync_state', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    await asker.send('/rules add grim');
    asker.take();
    other.take();
    await asker.send('/rules add humor');
    for (const client of [asker, other]) {
      expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state']);
      expect(client.events[0]).toMatchObject({ content: "✓ Rule 'humor' activated", metadata: { active_rules: ['grim', 'humor'] } });
      expect(client.events[1]?.metadata.active_rules).toEqual(['grim', 'humor']);
    }
    expect(h.store.profiles.load('default')?.activeRules).toEqual(['grim', 'humor']);
  });

  it('does not add a rule twice', async () => {
    const h = createHarness();
    const client = h.connect();
    await client.send('/rules add grim');
    client.take();
    await client.send('/rules add grim');
    expect(client.lines()).toEqual(["system_update: ✓ Rule 'grim' is already active"]);
    expect(h.store.profiles.load('default')?.activeRules).toEqual(['grim']);
  });

  it('refuses an unknown rule naming those that exist, only to the asker', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    asker.take();
    other.take();
    await asker.send('/rules add missing');
    expect(asker.lines()).toEqual(["system_update: ✗ Unknown rule 'missing'. Available: grim, humor, nsfw"]);
    expect(other.events).toEqual([]);
  });

  it('refuses an invalid id and a missing argument', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/rules add a/b');
    await client.send('/rules add');
    expect(client.lines()).toEqual([
      "system_update: ✗ Invalid rule id 'a/b': ids use only letters, digits, '_' and '-'.",
      'system_update: ✗ Missing argument for /rules add. Usage: /rules add <id>',
    ]);
  });
});
