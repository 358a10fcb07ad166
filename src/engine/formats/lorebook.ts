/** Detects and parses any lorebook file we import: SillyTavern World Info, lorebook_v3, a bare character_book. */
import { parseCharacterBook, parseLorebookV3 } from './character-book.ts';
import { isObject, LorebookFormatError } from './lore-fields.ts';
import { parseWorldInfo, type LorebookImport } from './world-info.ts';

export function parseLorebook(input: string | Uint8Array, name = ''): LorebookImport {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new LorebookFormatError(`lorebook is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseLorebookData(data, name);
}

export function parseLorebookData(data: unknown, name = ''): LorebookImport {
  if (!isObject(data)) throw new LorebookFormatError('lorebook must be a JSON object');
  if (data['spec'] === 'lorebook_v3') return withName(parseLorebookV3(data), name);
  if (data['spec'] === 'chara_card_v2' || data['spec'] === 'chara_card_v3') {
    throw new LorebookFormatError('this is a character card, not a lorebook: import it as a card');
  }
  if (isObject(data['entries'])) return parseWorldInfo(data, name);
  if (Array.isArray(data['entries'])) return withName(parseCharacterBook(data), name);
  throw new LorebookFormatError(
    'not a lorebook: expected SillyTavern World Info ({"entries": {…}}), lorebook_v3 ({"spec": "lorebook_v3", "data": …}) or a character_book ({"entries": […]})',
  );
}

const withName = (parsed: LorebookImport, name: string): LorebookImport => (parsed.name ? parsed : { ...parsed, name });

export { LorebookFormatError };
export type { LorebookImport };
