import { describe, expect, it } from 'vitest';
import { sampleContent } from '../testing/fake-content.ts';
import { FakeContent } from '../testing/fake-content.ts';
import { createHarness } from '../testing/harness.ts';

describe('/nsfw', () => {
  it('toggles the nsfw rule on and off, telling every client', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    await asker.send('/rules add grim');
    asker.take();
    other.take();
    await asker.send('/nsfw');
    for (const client of [asker, other]) {
      expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state']);
      expect(client.events[0]?.content).toMatch(/^✓ .*ENABLED/);
      expect(client.events[0]?.metadata.active_rules).toEqual(['grim', 'nsfw']);
    }
    asker.take();
    await asker.send('/nsfw');
    expect(asker.events[0]?.content).toMatch(/^✓ .*DISABLED/);
    expect(asker.events[0]?.metadata.active_rules).toEqual(['grim']);
    expect(h.store.profiles.load('default')?.activeRules).toEqual(['grim']);
  });

  it('says so when there is no nsfw rule, and changes nothing', async () => {
    const content = sampleContent();
    const rules = new Map(content.rules);
    rules.delete('nsfw');
    const h = createHarness({ content: new FakeContent({ ...content, rules }) });
    const client = h.connect();
    client.take();
    await client.send('/nsfw');
    expect(client.lines()).toEqual([
      "system_update: ✗ There is no 'nsfw' rule to toggle. Add rules/nsfw.yaml to the content folder to use /nsfw.",
    ]);
    expect(h.store.profiles.load('default')).toBeUndefined();
  });
});
