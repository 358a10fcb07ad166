/**
 * Character cards V1, V2 (`chara_card_v2`) and V3 (`chara_card_v3`) from JSON, PNG (`chara` /
 * `ccv3` text chunks) or CHARX (zip with `card.json`), turned into a World the narrator plays.
 * Pure: callers pass the file's bytes. The whole original card stays in `world.extra.card`.
 */
import { unzipSync } from 'fflate';
import type { World } from '../content.ts';
import { parseCharacterBook } from './character-book.ts';
import { isObject, LorebookFormatError, type Json } from './lore-fields.ts';
import { isPng, PngFormatError, readTextChunks, replaceTextChunks, textChunk } from './png.ts';

export type CardVersion = 'v1' | 'v2' | 'v3';
export type CardSource = 'json' | 'png' | 'charx';

export class CardFormatError extends Error {
  override name = 'CardFormatError';
}

/** The fields we read, normalised across versions. */
export interface CardData {
  name: string;
  nickname: string;
  description: string;
  personality: string;
  scenario: string;
  firstMessage: string;
  exampleMessages: string;
  systemPrompt: string;
  postHistoryInstructions: string;
  alternateGreetings: string[];
  characterBook: unknown;
}

export interface ParsedCard {
  version: CardVersion;
  source: CardSource;
  /** The card exactly as it was in the file. */
  card: Json;
  data: CardData;
}

/** Assets may be large; the card itself never is. Guards against zip bombs. */
const MAX_CARD_JSON_BYTES = 32 * 1024 * 1024;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const isZip = (bytes: Uint8Array): boolean => ZIP_MAGIC.every((byte, i) => bytes[i] === byte);

/** Detects PNG, CHARX or JSON from the bytes themselves. */
export function parseCardFile(bytes: Uint8Array): ParsedCard {
  if (isPng(bytes)) return parseCardPng(bytes);
  if (isZip(bytes)) return parseCharx(bytes);
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  if (!text.trimStart().startsWith('{')) {
    throw new CardFormatError('not a character card: expected card JSON, a PNG with a card, or a CHARX file');
  }
  return parseCardJson(text);
}

export function parseCardJson(input: string | unknown, source: CardSource = 'json'): ParsedCard {
  let card: unknown = input;
  if (typeof input === 'string') {
    try {
      card = JSON.parse(input.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new CardFormatError(`card JSON is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!isObject(card)) throw new CardFormatError('card JSON must be an object');
  const spec = card['spec'];
  if (spec === 'chara_card_v2' || spec === 'chara_card_v3') {
    const data = card['data'];
    if (!isObject(data)) throw new CardFormatError(`card JSON (${spec}) is missing its "data" object`);
    return { version: spec === 'chara_card_v3' ? 'v3' : 'v2', source, card, data: readData(data, 'data.') };
  }
  if (spec === 'lorebook_v3' || 'entries' in card) throw new CardFormatError('this is a lorebook, not a character card: import it as lore');
  if (typeof spec === 'string') throw new CardFormatError(`unknown card spec "${spec}": expected chara_card_v2 or chara_card_v3`);
  return { version: 'v1', source, card, data: readData(fromLegacy(card), '') };
}

export function parseCardPng(bytes: Uint8Array): ParsedCard {
  let chunks;
  try {
    chunks = readTextChunks(bytes);
  } catch (error) {
    if (error instanceof PngFormatError) throw new CardFormatError(error.message);
    throw error;
  }
  // V3 says: when both are present, use ccv3.
  const named = (keyword: string) => chunks.find((c) => c.keyword.toLowerCase() === keyword);
  const chunk = named('ccv3') ?? named('chara');
  if (!chunk) throw new CardFormatError("PNG has no 'chara' or 'ccv3' text chunk: it is an image, not a character card");
  const json = decodeBase64Json(chunk.text, chunk.keyword);
  return parseCardJson(json, 'png');
}

export function parseCharx(bytes: Uint8Array): ParsedCard {
  let files;
  let tooLarge = false;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (file.name !== 'card.json') return false;
        tooLarge = file.originalSize > MAX_CARD_JSON_BYTES;
        return !tooLarge;
      },
    });
  } catch (error) {
    throw new CardFormatError(`not a valid CHARX (zip) file: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (tooLarge) throw new CardFormatError(`CHARX card.json is larger than ${MAX_CARD_JSON_BYTES / 1024 / 1024} MB`);
  const cardJson = files['card.json'];
  if (!cardJson) throw new CardFormatError('CHARX has no card.json at the root of the zip');
  return parseCardJson(new TextDecoder().decode(cardJson), 'charx');
}

function decodeBase64Json(text: string, keyword: string): unknown {
  const trimmed = text.trim();
  // Some tools write the JSON itself instead of base64.
  const decoded = trimmed.startsWith('{') ? trimmed : new TextDecoder().decode(Buffer.from(trimmed, 'base64'));
  try {
    return JSON.parse(decoded);
  } catch {
    throw new CardFormatError(`PNG '${keyword}' chunk is not base64-encoded card JSON`);
  }
}

/** Pygmalion/TavernAI field names, older than V1 (`char_name`, `char_persona`…). */
function fromLegacy(card: Json): Json {
  if (typeof card['name'] === 'string' || typeof card['char_name'] !== 'string') return card;
  return {
    name: card['char_name'],
    description: card['char_persona'],
    scenario: card['world_scenario'],
    first_mes: card['char_greeting'],
    mes_example: card['example_dialogue'],
    personality: card['personality'],
  };
}

function readData(data: Json, prefix: string): CardData {
  const name = data['name'];
  if (typeof name !== 'string' || !name.trim()) throw new CardFormatError(`card JSON is missing ${prefix}name`);
  const text = (field: string): string => {
    const value = data[field];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') throw new CardFormatError(`card JSON field ${prefix}${field} must be text`);
    return value;
  };
  const greetings = data['alternate_greetings'];
  if (greetings !== undefined && !Array.isArray(greetings)) {
    throw new CardFormatError(`card JSON field ${prefix}alternate_greetings must be a list of texts`);
  }
  return {
    name: name.trim(),
    nickname: text('nickname'),
    description: text('description'),
    personality: text('personality'),
    scenario: text('scenario'),
    firstMessage: text('first_mes'),
    exampleMessages: text('mes_example'),
    systemPrompt: text('system_prompt'),
    postHistoryInstructions: text('post_history_instructions'),
    alternateGreetings: (greetings ?? []).filter((g: unknown): g is string => typeof g === 'string' && g.trim() !== ''),
    characterBook: data['character_book'] ?? undefined,
  };
}

/** A valid world id from a name: lower case, `[a-z0-9_-]`, at most 64 characters. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || 'card';
}

export interface CardWorld {
  world: World;
  warnings: string[];
}

/** Turns a card into a World: the card's character is who the narrator plays. */
export function cardToWorld(parsed: ParsedCard): CardWorld {
  const { data } = parsed;
  const warnings: string[] = [];
  let entries: World['entries'] = [];
  if (data.characterBook !== undefined) {
    try {
      const book = parseCharacterBook(data.characterBook, 'character_book');
      entries = book.entries;
      warnings.push(...book.warnings);
    } catch (error) {
      if (!(error instanceof LorebookFormatError)) throw error;
      throw new CardFormatError(`card's ${error.message}`);
    }
  }
  const world: World = {
    id: slugify(data.name),
    name: data.name,
    lore: '',
    startMessage: data.firstMessage,
    alternateGreetings: data.alternateGreetings,
    scene: data.scenario,
    systemPrompt: buildSystemPrompt(data),
    entries,
    // V3: a nickname, when present, is what {{char}} means.
    narratorName: data.nickname.trim() || data.name,
    extra: { card: parsed.card, cardVersion: parsed.version, cardSource: parsed.source },
  };
  return { world, warnings };
}

function buildSystemPrompt(data: CardData): string {
  const parts = [
    // SillyTavern's {{original}} means "the app's default prompt"; here the base rules already come first.
    data.systemPrompt.replace(/\{\{original\}\}/gi, '').trim(),
    `You play {{char}}.`,
    data.description.trim(),
    data.personality.trim() ? `{{char}}'s personality: ${data.personality.trim()}` : '',
    data.exampleMessages.trim() ? `Examples of how {{char}} speaks:\n${data.exampleMessages.trim()}` : '',
  ];
  return parts.filter(Boolean).join('\n\n');
}

/** Writes a card into a PNG (V3 as `ccv3` plus a `chara` copy for V2 readers, V2/V1 as `chara`). */
export function writeCardPng(png: Uint8Array, card: Json): Uint8Array {
  if (!isPng(png)) throw new CardFormatError('not a PNG: cannot write a card into it');
  const encode = (value: Json) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
  if (card['spec'] !== 'chara_card_v3') return replaceTextChunks(png, ['chara', 'ccv3'], [textChunk('chara', encode(card))]);
  const backfill = { ...card, spec: 'chara_card_v2', spec_version: '2.0' };
  const chunks = [textChunk('chara', encode(backfill)), textChunk('ccv3', encode(card))];
  return replaceTextChunks(png, ['chara', 'ccv3'], chunks);
}

/** Reads a card from any supported file and converts it in one step. */
export function importCard(bytes: Uint8Array): CardWorld & { card: ParsedCard } {
  const card = parseCardFile(bytes);
  return { ...cardToWorld(card), card };
}
