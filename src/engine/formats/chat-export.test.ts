import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChatFormatError, parseSendDate, parseSillyTavernJsonl, toMarkdown, toSillyTavernJsonl, type ChatExportMessage, type ChatExportMeta } from './chat-export.ts';

const meta: ChatExportMeta = {
  title: 'The glade',
  world: 'Eldergrove',
  character: 'Aria',
  model: 'openrouter/some-model',
  created: Date.UTC(2026, 10, 25, 22, 8, 47),
  narrator: 'Seraphina',
};

const messages: ChatExportMessage[] = [
  { role: 'assistant', content: 'Easy now, you were hurt.', createdAt: Date.UTC(2026, 10, 25, 22, 8, 47) },
  { role: 'user', content: 'Where am I?\n\nIt is dark.', createdAt: Date.UTC(2026, 10, 25, 22, 9, 1) },
  { role: 'system', content: '🎲 d20+2 vs 15: [13] + 2 = 15 → success', createdAt: Date.UTC(2026, 10, 25, 22, 9, 2) },
  {
    role: 'assistant',
    content: 'Safe, in my glade.',
    swipes: ['First try.', 'Safe, in my glade.', 'Third try.'],
    swipeId: 1,
    reasoning: 'Reassure them.',
    createdAt: Date.UTC(2026, 10, 25, 22, 9, 30),
  },
];

describe('toMarkdown', () => {
  it('writes a readable transcript with the session facts', () => {
    const md = toMarkdown(meta, messages);
    expect(md).toContain('# The glade');
    expect(md).toContain('- **World:** Eldergrove');
    expect(md).toContain('- **Character:** Aria');
    expect(md).toContain('- **Model:** openrouter/some-model');
    expect(md).toContain('- **Started:** 2026-11-25 22:08:47 UTC');
    expect(md).toContain('### 1. Seraphina · 2026-11-25 22:08:47 UTC\n\nEasy now, you were hurt.');
    expect(md).toContain('### 2. Aria');
    expect(md).toContain('Where am I?\n\nIt is dark.');
    expect(md).toContain('> 🎲 d20+2 vs 15');
    expect(md).toContain('### 4. Seraphina · 2026-11-25 22:09:30 UTC · alternative 2 of 3\n\nSafe, in my glade.');
    expect(md).not.toContain('First try.');
  });

  it("lists the author's note under the header, keeping its lines, and marks hidden messages", () => {
    const md = toMarkdown({ ...meta, note: 'Keep it grim.\nMara lies.' }, [
      { role: 'user', content: 'A whisper.', hidden: true, createdAt: 0 },
      { role: 'system', content: '🎲 roll', hidden: true },
    ]);
    expect(md).toContain("- **Messages:** 2\n- **Author's note:** Keep it grim.\n  Mara lies.\n\n---");
    expect(md).toContain('### 1. Aria · 1970-01-01 00:00:00 UTC · hidden from the narrator\n\nA whisper.');
    expect(md).toContain('> **2. System** · hidden from the narrator\n>\n> 🎲 roll');
    expect(toMarkdown(meta, messages)).not.toContain("Author's note");
  });

  it('handles an empty session', () => {
    expect(toMarkdown({ ...meta, title: '' }, [])).toContain('# Untitled session');
  });
});

describe('SillyTavern JSONL', () => {
  it('writes the header line then one message per line', () => {
    const lines = toSillyTavernJsonl(meta, messages).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ user_name: 'Aria', character_name: 'Seraphina', create_date: '2026-11-25@22h08m47s', chat_metadata: {} });
    expect(lines[1]).toEqual({ name: 'Seraphina', is_user: false, is_system: false, send_date: '2026-11-25T22:08:47.000Z', mes: 'Easy now, you were hurt.', extra: {} });
    expect(lines[2]).toMatchObject({ name: 'Aria', is_user: true, is_system: false });
    expect(lines[3]).toMatchObject({ name: 'System', is_user: false, is_system: true });
    expect(lines[4]).toMatchObject({ mes: 'Safe, in my glade.', swipes: ['First try.', 'Safe, in my glade.', 'Third try.'], swipe_id: 1, extra: { reasoning: 'Reassure them.' } });
    expect(lines[4].swipe_info).toHaveLength(3);
  });

  it('round-trips through its own parser', () => {
    const parsed = parseSillyTavernJsonl(toSillyTavernJsonl(meta, messages));
    expect(parsed.meta).toMatchObject({ userName: 'Aria', characterName: 'Seraphina', createDate: '2026-11-25@22h08m47s', chatMetadata: {} });
    expect(parsed.messages.map(({ role, content, createdAt, swipes, swipeId, reasoning }) => ({ role, content, createdAt, swipes, swipeId, reasoning }))).toEqual(
      messages.map(({ role, content, createdAt, swipes, swipeId, reasoning }) => ({ role, content, createdAt, swipes, swipeId, reasoning })),
    );
    expect(parsed.messages.map((m) => m.name)).toEqual(['Seraphina', 'Aria', 'System', 'Seraphina']);
  });

  it('reads a chat written by SillyTavern, keeping fields it does not map', () => {
    const parsed = parseSillyTavernJsonl(readFileSync(new URL('../../../test/fixtures/formats/st-chat.jsonl', import.meta.url), 'utf8'));
    expect(parsed.meta.chatMetadata).toMatchObject({ note_interval: 1 });
    expect(parsed.messages.map((m) => [m.role, m.content, m.swipeId])).toEqual([
      ['assistant', '*You wake to the scent of herbs.* Easy now.', 0],
      ['user', 'Where am I?', undefined],
      ['assistant', 'Safe, in my glade.', 1],
      ['system', 'Aria rolled 1d20: 14', undefined],
    ]);
    expect(parsed.messages[0]?.createdAt).toBe(Date.UTC(2024, 2, 2, 18, 30));
    expect(parsed.messages[2]).toMatchObject({ reasoning: 'She should reassure.', createdAt: Date.UTC(2024, 2, 2, 18, 32, 5) });
    expect(parsed.messages[2]?.extra).toMatchObject({ gen_started: '2024-03-02T18:32:01.000Z', extra: { api: 'openai', model: 'gpt-4o' } });
    expect(parsed.messages[1]?.extra).toMatchObject({ force_avatar: 'User Avatars/aria.png' });
    expect(parsed.messages[3]?.createdAt).toBe(1709404400000);
  });

  it('keeps messages SillyTavern hid (/hide) with their speaker, flagged hidden', () => {
    const text = [
      '{"user_name": "Aria", "character_name": "Seraphina", "create_date": "x", "chat_metadata": {}}',
      '{"name": "Aria", "is_user": true, "is_system": true, "mes": "hidden user line", "extra": {}}',
      '{"name": "Seraphina", "is_user": false, "is_system": true, "mes": "hidden reply", "extra": {}}',
      '{"name": "SillyTavern System", "is_user": false, "is_system": true, "mes": "a note", "extra": {"type": "narrator"}}',
    ].join('\n');
    expect(parseSillyTavernJsonl(text).messages.map((m) => [m.role, m.hidden ?? false])).toEqual([
      ['user', true],
      ['assistant', true],
      ['system', false],
    ]);
  });

  it("writes hidden messages as is_system with their speaker, and the note as SillyTavern's Author's Note; both read back", () => {
    const hidden: ChatExportMessage[] = [
      { role: 'user', content: 'A whisper.', hidden: true },
      { role: 'assistant', content: 'A secret.', hidden: true },
      { role: 'system', content: '🎲 a hidden roll', hidden: true },
      { role: 'system', content: '🎲 a shown roll' },
    ];
    const text = toSillyTavernJsonl({ ...meta, note: 'Rain all day.' }, hidden);
    const [header, ...lines] = text.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(header.chat_metadata).toEqual({ note_prompt: 'Rain all day.', note_interval: 1, note_position: 1, note_depth: 1, note_role: 0 });
    expect(lines.map((line) => [line.name, line.is_user, line.is_system])).toEqual([
      ['Aria', true, true],
      ['Seraphina', false, true],
      ['System', false, true],
      ['System', false, true],
    ]);
    expect(lines[0].extra).toEqual({});
    const parsed = parseSillyTavernJsonl(text);
    expect(parsed.meta.note).toBe('Rain all day.');
    expect(parsed.messages.map((m) => [m.role, m.hidden ?? false])).toEqual([
      ['user', true],
      ['assistant', true],
      ['system', true],
      ['system', false],
    ]);
    expect(parsed.messages.every((m) => !('flower_hidden' in m.extra) && !('extra' in m.extra))).toBe(true);
    expect(parseSillyTavernJsonl(toSillyTavernJsonl(meta, messages)).meta).not.toHaveProperty('note');
  });

  it.each([
    ['', 'the chat file is empty'],
    ['\n\n', 'the chat file is empty'],
    ['{"user_name": "A", "character_name": "B"}\n{"mes": "ok"}\n{oops', 'line 3 is not valid JSON'],
    ['{"user_name": "A", "character_name": "B"}\n[1]', 'line 2 is not a JSON object'],
    ['{"name": "B", "mes": "hi"}', 'line 1 is not a SillyTavern chat header'],
    ['{"user_name": "A", "character_name": "B"}\n\n{"name": "B", "is_user": false}', 'line 3: the message has no text'],
    ['{"user_name": "A", "character_name": "B"}\n{"mes": "x", "swipes": "x"}', 'line 2: "swipes" must be a list'],
  ])('rejects %j naming the line', (text, message) => {
    expect(() => parseSillyTavernJsonl(text)).toThrow(ChatFormatError);
    expect(() => parseSillyTavernJsonl(text)).toThrow(message);
  });

  it('parses the date styles SillyTavern has used', () => {
    expect(parseSendDate('January 31, 2024 9:05pm')).toBe(Date.UTC(2024, 0, 31, 21, 5));
    expect(parseSendDate('January 31, 2024 12:05am')).toBe(Date.UTC(2024, 0, 31, 0, 5));
    expect(parseSendDate('2024-01-31T21:05:00.000Z')).toBe(Date.UTC(2024, 0, 31, 21, 5));
    expect(parseSendDate(5)).toBe(5);
    expect(parseSendDate('whenever')).toBeUndefined();
    expect(parseSendDate(null)).toBeUndefined();
  });
});

describe('SillyTavern JSONL round-trip property', () => {
  it('any messages survive export and import', () => {
    const message = fc.record({
      role: fc.constantFrom('user' as const, 'assistant' as const, 'system' as const),
      content: fc.string({ unit: 'grapheme', maxLength: 200 }),
      createdAt: fc.integer({ min: 0, max: 4_000_000_000_000 }),
      hidden: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 20 }), fc.string({ maxLength: 100 }), (list, note) => {
        const parsed = parseSillyTavernJsonl(toSillyTavernJsonl({ ...meta, note }, list));
        expect(parsed.messages.map(({ role, content, createdAt, hidden }) => ({ role, content, createdAt, hidden: hidden ?? false }))).toEqual(list);
        expect(parsed.meta.note).toBe(note.trim() === '' ? undefined : note);
      }),
    );
  });
});
