import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';

describe('/rules remove', () => {
  it('deactivates one rule, keeps the others, persists, and tells every client', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    await asker.send('/rules add grim');
    await asker.send('/rules add humor');
    asker.take();
    other.take();
    await asker.send('/rules remove grim');
    for (const client of [asker, other]) {
      expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state']);
      expect(client.events[0]).toMatchObject({ content: "✓ Rule 'grim' deactivated", metadata: { active_rules: ['humor'] } });
      expect(client.events[1]?.metadata.active_rules).toEqual(['humor']);
    }
    expect(h.store.profiles.load('default')?.activeRules).toEqual(['humor']);
  });

  it('says which rules are active when the rule is not, and changes nothing', async () => {
    const h = createHarness();
    const client = h.connect();
    await client.send('/rules add humor');
    client.take();
    await client.send('/rules remove grim');
    expect(client.lines()).toEqual(["system_update: ✗ Rule 'grim' is not active. Active: humor"]);
    expect(h.store.profiles.load('default')?.activeRules).toEqual(['humor']);
  });

  it('refuses an unknown rule, an invalid id and a missing argument', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/rules remove missing');
    await client.send('/rules remove a/b');
    await client.send('/rules remove');
    expect(client.lines()).toEqual([
      "system_update: ✗ Unknown rule 'missing'. Available: grim, humor, nsfw",
      "system_update: ✗ Invalid rule id 'a/b': ids use only letters, digits, '_' and '-'.",
      'system_update: ✗ Missing argument for /rules remove. Usage: /rules remove <id>',
    ]);
  });
});
