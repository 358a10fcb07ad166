import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';

describe('/world attach_lore', () => {
  it('adds the text as lore of the active world, searchable at once, and tells every client', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    await asker.send('/world select station');
    asker.take();
    other.take();
    await asker.send('/world attach_lore The reactor core is failing.\nOnly Chief Oduya knows.');
    for (const client of [asker, other]) {
      expect(client.lines()).toEqual(['system_update: Lore attached successfully.']);
    }
    const hits = h.store.lore.search('station', 'reactor', 3);
    expect(hits[0]?.item).toMatchObject({ source: 'attached', text: 'The reactor core is failing.\nOnly Chief Oduya knows.' });
  });

  it('cuts long text into several chunks', async () => {
    const h = createHarness();
    const client = h.connect();
    await client.send('/world select station');
    const before = h.store.lore.count('station');
    await client.send(`/world attach_lore ${'word '.repeat(400)}`);
    expect(h.store.lore.count('station') - before).toBe(3);
  });

  it('refuses without an active world', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/world attach_lore Something.');
    expect(client.lines()).toEqual(['system_update: ✗ No active world to attach lore to. Pick one first: /world select <id>']);
  });

  it('asks for the text when it is missing', async () => {
    const h = createHarness();
    const client = h.connect();
    await client.send('/world select castle');
    client.take();
    await client.send('/world attach_lore   ');
    expect(client.lines()).toEqual([
      'system_update: ✗ Missing argument for /world attach_lore. Usage: /world attach_lore <text>',
    ]);
  });
});
