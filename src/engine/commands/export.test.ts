import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSillyTavernJsonl } from '../formats/chat-export.ts';
import { createHarness } from '../testing/harness.ts';
import { reply } from '../testing/scripted-models.ts';
import { playCastleExchange, transferHarness } from '../transfer/test-support.ts';
import { historyOf, playStory, sendAndSettle } from './story-test-support.ts';

const exportedPath = (content: string | undefined): string => /^✓ Exported to (.+)$/.exec(content ?? '')?.[1] ?? '';

describe('/export', () => {
  it('writes a Markdown transcript with the world, character and title under <data>/exports', async () => {
    const h = transferHarness();
    const client = h.connect();
    await playCastleExchange(h, client);
    client.take();
    await client.send('/export md');
    const path = exportedPath(client.events[0]?.content);
    expect(path.startsWith(join(h.dataDir, 'exports'))).toBe(true);
    expect(path.endsWith('.md')).toBe(true);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('# I reach the gate.');
    expect(text).toContain('- **World:** The Castle');
    expect(text).toContain('- **Character:** Sir Alric');
    expect(text).toContain('### 2. Sir Alric');
    expect(text).toContain('The gate is shut.');
  });

  it('writes SillyTavern JSONL with alternatives that imports back into a session with the same story', async () => {
    const h = transferHarness();
    const client = h.connect();
    await client.send('/world select castle');
    await client.send('/character select knight');
    await client.send('/model scripted/narrator');
    await client.send('/session new');
    const original = h.store.profiles.load('default')?.sessionId ?? '';
    h.models.enqueue(reply('The gate is shut.'));
    await client.send('I reach the gate.');
    await client.waitForEnd();
    h.models.enqueue(reply('The gate stands open.'));
    await sendAndSettle(client, '/regenerate');
    await client.send('/roll d6');
    const before = h.store.messages.list(original).map((m) => [m.role, m.content]);
    client.take();
    await client.send('/export jsonl');
    const path = exportedPath(client.events[0]?.content);
    const chat = parseSillyTavernJsonl(readFileSync(path, 'utf8'));
    expect(chat.meta).toMatchObject({ userName: 'Sir Alric', characterName: 'The Castle' });
    expect(chat.messages.map((m) => m.role)).toEqual(['assistant', 'user', 'assistant', 'system']);
    expect(chat.messages[2]).toMatchObject({ content: 'The gate stands open.', swipes: ['The gate is shut.', 'The gate stands open.'], swipeId: 1 });

    await client.send(`/import ${path}`);
    const imported = h.store.profiles.load('default')?.sessionId ?? '';
    expect(imported).not.toBe(original);
    expect(h.store.messages.list(imported).map((m) => [m.role, m.content])).toEqual(before);
    expect(historyOf(client).at(2)).toMatchObject({ swipe_index: 1, swipe_count: 2 });
    expect(h.store.sessions.get('default', imported)).toMatchObject({ worldId: 'castle', characterId: 'knight' });
  });

  it('refuses an unknown format, a missing session and an engine without a data folder', async () => {
    const h = transferHarness();
    const client = h.connect();
    client.take();
    await client.send('/export md');
    await client.send('/export pdf');
    expect(client.lines()).toEqual([
      'system_update: ✗ No active session: start one with /session new or pick one with /session continue <id>.',
      "system_update: ✗ Unknown export format 'pdf': use md or jsonl. Usage: /export md|jsonl",
    ]);
    const bare = createHarness();
    const other = bare.connect();
    await playStory(bare, other, [['Hi.', 'Hello.']]);
    await other.send('/export md');
    expect(other.lines()).toEqual(['system_update: ✗ This engine has no data folder to export into.']);
  });
});
