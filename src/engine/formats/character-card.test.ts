import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { base64Json, onePixelPng } from '../../../test/fixtures/formats/build-png.ts';
import { isValidId } from '../content.ts';
import { CardFormatError, cardToWorld, importCard, parseCardFile, parseCardJson, parseCardPng, slugify, writeCardPng } from './character-card.ts';
import { toCharacterBook } from './character-book.ts';
import { readTextChunks, textChunk, iTextChunk } from './png.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/formats/${name}`, import.meta.url), 'utf8');
const v1 = fixture('card-v1.json');
const v2 = fixture('card-v2.json');
const v3 = fixture('card-v3.json');
const bytes = (text: string) => new TextEncoder().encode(text);

const failsWith = (input: Uint8Array, message: string) => {
  expect(() => parseCardFile(input)).toThrow(CardFormatError);
  expect(() => parseCardFile(input)).toThrow(message);
};

describe('character cards from JSON', () => {
  it('V1: flat fields become a world the narrator plays', () => {
    const { world } = importCard(bytes(v1));
    expect(world).toMatchObject({
      id: 'old-tom',
      name: 'Old Tom',
      narratorName: 'Old Tom',
      scene: "{{user}} knocks on {{char}}'s door during a storm.",
      startMessage: "*The door creaks open.* Who's out in this weather?",
      alternateGreetings: [],
      entries: [],
    });
    expect(world.systemPrompt).toContain('{{char}} is a retired lighthouse keeper');
    expect(world.systemPrompt).toContain("{{char}}'s personality: gruff, kind, superstitious");
    expect(world.systemPrompt).toContain('Only the ones you bring, lad.');
    expect(world.extra).toEqual({ card: JSON.parse(v1), cardVersion: 'v1', cardSource: 'json' });
  });

  it('V1 in the older Pygmalion field names', () => {
    const parsed = parseCardJson({ char_name: 'Pyg', char_persona: 'A bot.', world_scenario: 'A lab.', char_greeting: 'Hi.', example_dialogue: '' });
    expect(cardToWorld(parsed).world).toMatchObject({ name: 'Pyg', scene: 'A lab.', startMessage: 'Hi.' });
  });

  it('V2: system prompt, greetings and character book', () => {
    const { world, warnings } = importCard(bytes(v2));
    expect(warnings).toEqual([]);
    expect(world).toMatchObject({
      id: 'seraphina',
      name: 'Seraphina',
      narratorName: 'Seraphina',
      scene: "{{user}} wakes up in {{char}}'s glade after being attacked by shadow beasts.",
      startMessage: '*You wake to the scent of herbs.* Easy now, you were badly hurt.',
      alternateGreetings: ['*The forest is silent as you stir.* You\'re awake.', '*A wolf watches you from the edge of the glade.*'],
    });
    expect(world.systemPrompt.startsWith('Write in third person, past tense.')).toBe(true);
    expect(world.systemPrompt).not.toContain('{{original}}');
    expect(world.systemPrompt).toContain('guardian of the Eldergrove forest');
    expect(world.entries.map((e) => [e.id, e.keys, e.scanDepth, e.recursive, e.selectiveLogic, e.wholeWords])).toEqual([
      ['0', ['Eldergrove', 'forest'], 3, false, 'and_any', false],
      ['1', ['shadow beast', 'shadow beasts'], 6, false, 'and_all', true],
    ]);
    expect(world.extra['card']).toEqual(JSON.parse(v2));
  });

  it('V2: the character book re-exports losslessly', () => {
    const { world } = importCard(bytes(v2));
    const original = JSON.parse(v2).data.character_book;
    const { entries: _entries, ...meta } = original;
    expect(toCharacterBook(world.entries, meta)).toEqual(original);
  });

  it('V3: nickname is who {{char}} is, regex lore keys, everything kept', () => {
    const { world } = importCard(bytes(v3));
    expect(world).toMatchObject({ id: 'captain-ilse-varga', name: 'Captain Ilse Varga', narratorName: 'Ilse', alternateGreetings: ['The storm is coming.'] });
    expect(world.entries.map((e) => e.keys)).toEqual([['Wren'], ['/sky ?pirates?/i']]);
    expect(world.extra).toMatchObject({ cardVersion: 'v3', card: JSON.parse(v3) });
  });

  it('makes valid ids from any name', () => {
    for (const name of ['Zoë the Brave!', '   ', '東京', 'a/../../etc', 'x'.repeat(300), '--Hi--']) {
      const id = slugify(name);
      expect(isValidId(id)).toBe(true);
    }
    expect(slugify('Zoë the Brave!')).toBe('zoe-the-brave');
    expect(slugify('東京')).toBe('card');
    expect(slugify('a/../../etc')).toBe('a-etc');
  });
});

describe('character cards from PNG', () => {
  it("reads a V2 card from the 'chara' tEXt chunk", () => {
    const png = onePixelPng([textChunk('chara', base64Json(JSON.parse(v2)))]);
    const parsed = parseCardFile(png);
    expect(parsed).toMatchObject({ version: 'v2', source: 'png' });
    expect(cardToWorld(parsed).world.extra['card']).toEqual(JSON.parse(v2));
  });

  it("prefers 'ccv3' over 'chara' when both are present, whatever their order", () => {
    const png = onePixelPng([textChunk('ccv3', base64Json(JSON.parse(v3))), textChunk('chara', base64Json(JSON.parse(v2)))]);
    expect(importCard(png).world.name).toBe('Captain Ilse Varga');
  });

  it('keeps non-ASCII text intact through base64', () => {
    const card = { spec: 'chara_card_v2', spec_version: '2.0', data: { name: 'Zoë 東京', description: 'Çà ✓', first_mes: '…' } };
    const { world } = importCard(onePixelPng([textChunk('chara', base64Json(card))]));
    expect(world.name).toBe('Zoë 東京');
    expect(world.systemPrompt).toContain('Çà ✓');
  });

  it('reads a card from an iTXt chunk too', () => {
    const png = onePixelPng([iTextChunk('chara', base64Json(JSON.parse(v1)), true)]);
    expect(importCard(png).world.name).toBe('Old Tom');
  });

  it('writes a card into a PNG that reads back the same', () => {
    const card = JSON.parse(v3);
    const written = writeCardPng(onePixelPng([textChunk('chara', 'stale')]), card);
    expect(parseCardFile(written).card).toEqual(card);
    const chunks = readTextChunks(written, { verifyCrc: true });
    expect(chunks.map((c) => c.keyword)).toEqual(['chara', 'ccv3']);
    expect(JSON.parse(Buffer.from(chunks[0]!.text, 'base64').toString('utf8')).spec).toBe('chara_card_v2');
  });

  it("finds the chunk whatever the keyword's case", () => {
    expect(importCard(onePixelPng([textChunk('Chara', base64Json(JSON.parse(v1)))])).world.name).toBe('Old Tom');
  });

  it('parseCardPng says when the bytes are not a PNG', () => {
    expect(() => parseCardPng(bytes(v1))).toThrow(CardFormatError);
    expect(() => parseCardPng(bytes(v1))).toThrow('not a PNG');
  });

  it('names what is wrong with bad PNGs', () => {
    failsWith(onePixelPng(), "PNG has no 'chara' or 'ccv3' text chunk");
    failsWith(onePixelPng([textChunk('chara', '!!!not base64 json')]), "PNG 'chara' chunk is not base64-encoded card JSON");
    const png = onePixelPng([textChunk('chara', base64Json(JSON.parse(v2)))]);
    failsWith(png.subarray(0, 60), 'PNG is truncated');
  });
});

describe('character cards from CHARX', () => {
  it('reads card.json from the zip', () => {
    const charx = zipSync({ 'card.json': strToU8(v3), 'assets/background/images/deck.png': onePixelPng(), 'x_meta/app.json': strToU8('{}') });
    const parsed = parseCardFile(charx);
    expect(parsed).toMatchObject({ version: 'v3', source: 'charx' });
    expect(cardToWorld(parsed).world.narratorName).toBe('Ilse');
  });

  it('names what is wrong with bad CHARX files', () => {
    failsWith(zipSync({ 'cards/card.json': strToU8(v3) }), 'CHARX has no card.json');
    failsWith(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 1, 2, 3), 'not a valid CHARX (zip) file');
    const bomb = zipSync({ 'card.json': [new Uint8Array(33 * 1024 * 1024).fill(0x20), { level: 0 }] });
    failsWith(bomb, 'CHARX card.json is larger than 32 MB');
  });
});

describe('bad card JSON', () => {
  it.each([
    ['not json at all', 'not a character card'],
    ['{ broken', 'card JSON is not valid JSON'],
    ['{"spec": "chara_card_v2", "spec_version": "2.0"}', 'card JSON (chara_card_v2) is missing its "data" object'],
    ['{"spec": "chara_card_v2", "data": {"description": "x"}}', 'card JSON is missing data.name'],
    ['{"spec": "chara_card_v3", "data": {"name": "   "}}', 'card JSON is missing data.name'],
    ['{"description": "x"}', 'card JSON is missing name'],
    ['{"spec": "chara_card_v9", "data": {}}', 'unknown card spec "chara_card_v9"'],
    ['{"entries": {"0": {"key": ["a"]}}}', 'this is a lorebook, not a character card'],
    ['{"spec": "lorebook_v3", "data": {"entries": []}}', 'this is a lorebook, not a character card'],
    ['{"spec": "chara_card_v2", "data": {"name": "A", "first_mes": 5}}', 'data.first_mes must be text'],
    ['{"spec": "chara_card_v2", "data": {"name": "A", "alternate_greetings": "hi"}}', 'alternate_greetings must be a list'],
    ['{"spec": "chara_card_v2", "data": {"name": "A", "character_book": {"entries": 1}}}', "card's character_book has no \"entries\" list"],
  ])('%s → %s', (text, message) => {
    expect(() => importCard(bytes(text))).toThrow(CardFormatError);
    expect(() => importCard(bytes(text))).toThrow(message);
  });
});
