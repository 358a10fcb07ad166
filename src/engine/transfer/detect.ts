/**
 * What a file to import is, from its bytes: a character card (JSON, PNG, CHARX), a lorebook
 * (SillyTavern World Info, lorebook_v3, a bare character_book) or a SillyTavern chat (JSONL).
 * Parse errors become an `ImportError` whose message says what is wrong with the file.
 */
import { CardFormatError, importCard, type CardWorld } from '../formats/character-card.ts';
import { ChatFormatError, parseSillyTavernJsonl, type ImportedChat } from '../formats/chat-export.ts';
import { LorebookFormatError, parseLorebookData, type LorebookImport } from '../formats/lorebook.ts';
import { isPng } from '../formats/png.ts';

export class ImportError extends Error {
  override name = 'ImportError';
}

export type DetectedFile =
  | ({ kind: 'card' } & CardWorld)
  | { kind: 'lorebook'; lorebook: LorebookImport }
  | { kind: 'chat'; chat: ImportedChat };

const isZip = (bytes: Uint8Array): boolean => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

export const KNOWN_FORMATS =
  'character cards V1/V2/V3 (.json, .png, .charx), SillyTavern World Info or lorebook_v3 (.json), SillyTavern chats (.jsonl)';

export function detectFile(bytes: Uint8Array, name: string): DetectedFile {
  try {
    if (isPng(bytes) || isZip(bytes)) return { kind: 'card', ...importCard(bytes) };
    const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    const whole = parseJson(text);
    if (whole === undefined && lines.length > 0 && parseJson(lines[0] ?? '') !== undefined) {
      return { kind: 'chat', chat: parseSillyTavernJsonl(text) };
    }
    if (!isObject(whole)) throw new ImportError(`unknown format: expected one of ${KNOWN_FORMATS}`);
    if ('user_name' in whole && 'character_name' in whole) return { kind: 'chat', chat: parseSillyTavernJsonl(text) };
    if (whole['spec'] === 'lorebook_v3' || 'entries' in whole) {
      return { kind: 'lorebook', lorebook: parseLorebookData(whole, baseName(name)) };
    }
    return { kind: 'card', ...importCard(bytes) };
  } catch (error) {
    if (error instanceof CardFormatError) throw new ImportError(`bad character card: ${error.message}`);
    if (error instanceof LorebookFormatError) throw new ImportError(`bad lorebook: ${error.message}`);
    if (error instanceof ChatFormatError) throw new ImportError(`bad chat file: ${error.message}`);
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const baseName = (name: string): string => (name.split(/[\\/]/).pop() ?? name).replace(/\.[^.]+$/, '');
