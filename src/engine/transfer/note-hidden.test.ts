/** The author's note and hidden messages through export and import (Markdown, SillyTavern JSONL). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { historyOf } from '../commands/story-test-support.ts';
import { parseSillyTavernJsonl } from '../formats/chat-export.ts';
import { reply } from '../testing/scripted-models.ts';
import { playCastleExchange, transferHarness } from './test-support.ts';

const exportedPath = (content: string | undefined): string => /^✓ Exported to (.+)$/.exec(content ?? '')?.[1] ?? '';
const NOTE = 'Keep the tone grim; Mara is hiding something.';

/** Castle, Sir Alric, one exchange and a roll: messages 1 (start), 2 (move), 3 (reply), 4 (roll). */
async function story() {
  const h = transferHarness();
  const client = h.connect();
  await playCastleExchange(h, client);
  await client.send('/roll d6');
  const sessionId = h.store.profiles.load('default')?.sessionId ?? '';
  return { h, client, sessionId };
}

async function exportAs(client: Awaited<ReturnType<typeof story>>['client'], format: 'md' | 'jsonl'): Promise<{ path: string; text: string }> {
  client.take();
  await client.send(`/export ${format}`);
  const path = exportedPath(client.events[0]?.content);
  return { path, text: readFileSync(path, 'utf8') };
}

describe("exports carry the author's note and hidden messages", () => {
  it('Markdown: the note as a line under the header, hidden messages marked', async () => {
    const { client } = await story();
    await client.send(`/note ${NOTE}`);
    await client.send('/hide 3-4');
    const { text: md } = await exportAs(client, 'md');
    expect(md).toContain(`- **Messages:** 4\n- **Author's note:** ${NOTE}\n\n---`);
    expect(md).toMatch(/### 3\. The Castle · [^\n]* · hidden from the narrator\n\nThe gate is shut\./);
    expect(md).toMatch(/> \*\*4\. System\*\* · [^\n]* · hidden from the narrator\n>\n> 🎲/);
    expect(md).toMatch(/### 2\. Sir Alric · [^\n]*UTC\n/);
  });

  it('SillyTavern JSONL: the note in chat_metadata, hidden messages as is_system; both come back on import', async () => {
    const { h, client, sessionId } = await story();
    await client.send(`/note ${NOTE}`);
    await client.send('/hide 2-4');
    const before = h.store.messages.list(sessionId).map((m) => [m.role, m.content, m.hidden ?? false]);
    const { path, text } = await exportAs(client, 'jsonl');
    const [header, ...lines] = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(header?.['chat_metadata']).toEqual({ note_prompt: NOTE, note_interval: 1, note_position: 1, note_depth: 1, note_role: 0 });
    expect(lines.map((line) => [line['name'], line['is_user'], line['is_system']])).toEqual([
      ['The Castle', false, false],
      ['Sir Alric', true, true],
      ['The Castle', false, true],
      ['System', false, true],
    ]);
    expect(parseSillyTavernJsonl(text).meta.note).toBe(NOTE);

    await client.send(`/import ${path}`);
    const imported = h.store.profiles.load('default')?.sessionId ?? '';
    expect(imported).not.toBe(sessionId);
    expect(h.store.messages.list(imported).map((m) => [m.role, m.content, m.hidden ?? false])).toEqual(before);
    expect(h.store.sessions.note(imported)).toBe(NOTE);
    expect(historyOf(client).map((entry) => entry.hidden ?? false)).toEqual([false, true, true, true]);
    // Hidden messages make no memories in the imported session either.
    expect(h.store.memory.list(imported)).toEqual([]);
  });

  it('a chat SillyTavern wrote: its Author\'s Note becomes the note, its hidden messages stay hidden', async () => {
    const h = transferHarness();
    const client = h.connect();
    await client.send('/world select castle');
    client.take();
    const chat = [
      { user_name: 'Aria', character_name: 'Seraphina', create_date: '2024-03-02@18h30m12s', chat_metadata: { note_prompt: 'Seraphina never lies.', note_interval: 1, note_depth: 4, note_position: 1, note_role: 0 } },
      { name: 'Seraphina', is_user: false, is_system: false, send_date: 'March 2, 2024 6:30pm', mes: 'Easy now.', extra: {} },
      { name: 'Aria', is_user: true, is_system: true, send_date: 'March 2, 2024 6:31pm', mes: 'Where am I?', extra: {} },
      { name: 'Seraphina', is_user: false, is_system: true, send_date: 'March 2, 2024 6:32pm', mes: 'Safe, in my glade.', extra: {} },
      { name: 'Aria', is_user: true, is_system: false, send_date: 'March 2, 2024 6:33pm', mes: 'Thank you.', extra: {} },
      { name: 'Seraphina', is_user: false, is_system: false, send_date: 'March 2, 2024 6:34pm', mes: 'Rest now.', extra: {} },
    ];
    await client.send(`/import ${h.put('hidden.jsonl', chat.map((line) => JSON.stringify(line)).join('\n'))}`);
    const sessionId = h.store.profiles.load('default')?.sessionId ?? '';
    expect(h.store.sessions.note(sessionId)).toBe('Seraphina never lies.');
    expect(historyOf(client).map(({ n, role, hidden }) => [n, role, hidden ?? false])).toEqual([
      [1, 'assistant', false],
      [2, 'user', true],
      [3, 'assistant', true],
      [4, 'user', false],
      [5, 'assistant', false],
    ]);
    expect(h.store.memory.list(sessionId).map((m) => m.text)).toEqual(['User: Thank you.\nAI: Rest now.']);

    h.models.enqueue(reply('You sleep.'));
    await client.send('/model scripted/narrator');
    await client.send('I sleep.');
    await client.waitForEnd();
    const sent = h.models.requests.at(-1)?.messages.map((m) => m.content) ?? [];
    expect(sent.slice(1)).toEqual(['Easy now.', 'Thank you.', 'Rest now.', "[Author's note: Seraphina never lies.]\n\nI sleep."]);
  });
});
