import { readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { base64Json, onePixelPng } from '../../../test/fixtures/formats/build-png.ts';
import { textChunk } from '../formats/png.ts';
import { fixture, transferHarness } from '../transfer/test-support.ts';
import { historyOf } from './story-test-support.ts';

const worldIds = (event: { metadata: Record<string, unknown> } | undefined) =>
  ((event?.metadata['available_worlds'] ?? []) as { id: string }[]).map((w) => w.id);

describe('/import a character card', () => {
  it('writes a world file from a V2 JSON card, reloads content, and never overwrites on a second import', async () => {
    const h = transferHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    asker.take();
    other.take();
    const path = h.put('seraphina.json', fixture('card-v2.json'));
    await asker.send(`/import ${path}`);
    for (const client of [asker, other]) {
      expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state']);
      expect(client.events[0]?.content).toMatch(/^✓ Imported 'Seraphina' as world seraphina \(2 lore entries, 2 alternate greetings \(\/session new N\)\) to .*seraphina\.yaml\. Use \/world select seraphina\./);
      expect(worldIds(client.last('sync_state'))).toEqual(['castle', 'seraphina']);
    }
    const file = parse(readFileSync(join(h.dataDir, 'assets', 'worlds', 'seraphina.yaml'), 'utf8'));
    expect(file).toMatchObject({ id: 'seraphina', name: 'Seraphina', narrator_name: 'Seraphina', cardVersion: 'v2' });
    expect(file.card.data.name).toBe('Seraphina');

    // Playable with its alternate greetings.
    await asker.send('/world select seraphina');
    await asker.send('/character select aria');
    await asker.send('/session new 2');
    expect(historyOf(asker)).toMatchObject([{ role: 'assistant' }]);

    asker.take();
    await asker.send(`/import ${path}`);
    expect(asker.events[0]?.content).toMatch(/^✓ Imported 'Seraphina' as world seraphina-2 /);
    expect(parse(readFileSync(join(h.dataDir, 'assets', 'worlds', 'seraphina.yaml'), 'utf8')).id).toBe('seraphina');
  });

  it('reads V1 JSON, a PNG with a chara chunk and a CHARX zip', async () => {
    const h = transferHarness();
    const client = h.connect();
    const png = onePixelPng([textChunk('chara', base64Json(JSON.parse(fixture('card-v2.json').toString('utf8'))))]);
    const charx = zipSync({ 'card.json': new Uint8Array(fixture('card-v3.json')) });
    client.take();
    await client.send(`/import ${h.put('old.json', fixture('card-v1.json'))}`);
    await client.send(`/import ${h.put('card.png', png)}`);
    await client.send(`/import ${h.put('ilse.charx', charx)}`);
    const notices = client.named('system_update').map((e) => e.content);
    expect(notices[0]).toMatch(/^✓ Imported 'Old Tom' as world old-tom /);
    expect(notices[1]).toMatch(/^✓ Imported 'Seraphina' as world seraphina /);
    expect(notices[2]).toMatch(/^✓ Imported 'Captain Ilse Varga' as world captain-ilse-varga \(2 lore entries, 1 alternate greetings/);
    expect(worldIds(client.last('sync_state'))).toEqual(['captain-ilse-varga', 'castle', 'old-tom', 'seraphina']);
  });
});

describe('/import a lorebook', () => {
  it('adds World Info and lorebook_v3 entries to the named world, keeping its file', async () => {
    const h = transferHarness();
    const client = h.connect();
    client.take();
    await client.send(`/import ${h.put('wi.json', fixture('st-world-info.json'))} world castle`);
    await client.send(`/import ${h.put('book.json', fixture('lorebook-v3.json'))} world castle`);
    const notices = client.named('system_update').map((e) => e.content);
    expect(notices[0]).toMatch(/^✓ Added 5 lore entries to world castle \(/);
    expect(notices[1]).toMatch(/^✓ Added 3 lore entries to world castle \(/);
    const text = readFileSync(join(h.dataDir, 'assets', 'worlds', 'castle.yaml'), 'utf8');
    expect(text.startsWith('# The castle world\n')).toBe(true);
    const file = parse(text);
    expect(file.entries).toHaveLength(8);
    expect(new Set(file.entries.map((entry: { id: string }) => entry.id)).size).toBe(8);
    expect(h.logger.entries.filter((entry) => entry.message.startsWith('content skipped'))).toEqual([]);
  });

  it('needs a world that exists', async () => {
    const h = transferHarness();
    const client = h.connect();
    client.take();
    const path = h.put('wi.json', fixture('st-world-info.json'));
    await client.send(`/import ${path}`);
    await client.send(`/import ${path} world nowhere`);
    expect(client.lines()).toEqual([
      `system_update: ✗ Cannot import ${path}: a lorebook is added to a world: name it (world <id>). Worlds: castle.`,
      `system_update: ✗ Cannot import ${path}: unknown world 'nowhere'. Worlds: castle.`,
    ]);
  });
});

describe('/import a SillyTavern chat', () => {
  it('becomes the active session with every message, swipes as alternatives, and memories', async () => {
    const h = transferHarness();
    const client = h.connect();
    await client.send('/world select castle');
    client.take();
    await client.send(`/import ${h.put('chat.jsonl', fixture('st-chat.jsonl'))}`);
    const sessionId = h.store.profiles.load('default')?.sessionId ?? '';
    expect(client.lines()[0]).toBe(`system_update: ✓ Imported the chat as session ${sessionId} (4 messages); it is now active`);
    expect(h.store.sessions.get('default', sessionId)).toMatchObject({ worldId: 'castle', characterId: 'aria' });
    expect(historyOf(client)).toMatchObject([
      { n: 1, role: 'assistant', content: '*You wake to the scent of herbs.* Easy now.', swipe_index: 0, swipe_count: 2 },
      { n: 2, role: 'user', content: 'Where am I?' },
      { n: 3, role: 'assistant', content: 'Safe, in my glade.', swipe_index: 1, swipe_count: 2 },
      { n: 4, role: 'system', content: 'Aria rolled 1d20: 14' },
    ]);
    expect(h.store.memory.list(sessionId).map((m) => m.text)).toEqual(['User: Where am I?\nAI: Safe, in my glade.']);
  });
});

describe('/import refuses', () => {
  it('paths outside the home and imports folder, missing files, too big files, symlinks out', async () => {
    const h = transferHarness();
    const client = h.connect();
    client.take();
    const outside = join(h.root, 'outside.json');
    writeFileSync(outside, fixture('card-v2.json'));
    const link = join(h.homeDir, 'link.json');
    symlinkSync(outside, link);
    const big = h.put('big.json', '');
    truncateSync(big, 21 * 1024 * 1024);
    await client.send(`/import ${outside}`);
    await client.send(`/import ${link}`);
    await client.send(`/import ${join(h.homeDir, 'missing.json')}`);
    await client.send(`/import ${big}`);
    await client.send('/import ../../outside.json');
    const lines = client.lines();
    const allowed = `only files under your home (${h.homeDir}) or ${join(h.dataDir, 'imports')} can be imported. Usage: /import <path> [world <id>]`;
    expect(lines).toEqual([
      `system_update: ✗ Cannot import: ${outside} is not allowed: ${allowed}`,
      `system_update: ✗ Cannot import: ${link} is not allowed: ${allowed}`,
      `system_update: ✗ Cannot import: file not found: ${join(h.homeDir, 'missing.json')}. Usage: /import <path> [world <id>]`,
      `system_update: ✗ Cannot import: ${big} is too big: 21.0 MB, the limit is 20 MB. Usage: /import <path> [world <id>]`,
      `system_update: ✗ Cannot import: ${outside} is not allowed: ${allowed}`,
    ]);
    expect(worldIds(h.connect().last('sync_state'))).toEqual(['castle']);
  });

  it('offers a guest of a shared engine only the imports folder, never the host home', async () => {
    const h = transferHarness();
    const guest = h.connect('guest');
    guest.take();
    const inHome = h.put('card.json', fixture('card-v2.json'));
    writeFileSync(join(h.dataDir, 'imports', 'card.json'), fixture('card-v2.json'));
    await guest.send(`/import ${inHome}`);
    expect(guest.lines()).toEqual([
      `system_update: ✗ Cannot import: ${inHome} is not allowed: only files in ${join(h.dataDir, 'imports')} can be imported on a shared engine. Usage: /import <path> [world <id>]`,
    ]);
    guest.take();
    await guest.send('/import card.json');
    expect(guest.lines()[0]).toMatch(/^system_update: ✓/);
  });

  it('unknown formats and bad cards, naming the problem', async () => {
    const h = transferHarness();
    const client = h.connect();
    client.take();
    const notes = h.put('notes.txt', 'just some notes');
    const bad = h.put('bad.json', JSON.stringify({ spec: 'chara_card_v2', spec_version: '2.0' }));
    writeFileSync(join(h.dataDir, 'imports', 'relative.json'), '{"spec":"chara_card_v9"}');
    await client.send(`/import ${notes}`);
    await client.send(`/import ${bad}`);
    await client.send('/import relative.json');
    expect(client.lines()).toEqual([
      `system_update: ✗ Cannot import ${notes}: unknown format: expected one of character cards V1/V2/V3 (.json, .png, .charx), SillyTavern World Info or lorebook_v3 (.json), SillyTavern chats (.jsonl).`,
      `system_update: ✗ Cannot import ${bad}: bad character card: card JSON (chara_card_v2) is missing its "data" object.`,
      'system_update: ✗ Cannot import relative.json: bad character card: unknown card spec "chara_card_v9": expected chara_card_v2 or chara_card_v3.',
    ]);
  });
});
