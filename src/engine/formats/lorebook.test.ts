import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LoreEntry } from '../content.ts';
import { activateEntries } from '../lorebook/activate.ts';
import { parseCharacterBook, toCharacterBook, toLorebookV3 } from './character-book.ts';
import { coreOf } from './lore-fields.ts';
import { LorebookFormatError, parseLorebook } from './lorebook.ts';
import { parseWorldInfo, toWorldInfo } from './world-info.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/formats/${name}`, import.meta.url), 'utf8');
const worldInfoText = fixture('st-world-info.json');
const lorebookV3Text = fixture('lorebook-v3.json');

const byId = (entries: LoreEntry[], id: string) => {
  const found = entries.find((entry) => entry.id === id);
  if (!found) throw new Error(`no entry ${id}`);
  return found;
};

describe('SillyTavern World Info import', () => {
  const imported = parseLorebook(worldInfoText, 'eldoria');

  it('detects the format and maps every field we use', () => {
    expect(imported.format).toBe('st_world_info');
    expect(imported.name).toBe('eldoria');
    expect(imported.warnings).toEqual([]);
    expect(imported.entries.map((entry) => entry.id)).toEqual(['0', '1', '2', '3', '4']);
    expect(coreOf(byId(imported.entries, '1'))).toEqual({
      id: '1',
      comment: 'Saltmere harbor district',
      keys: ['Saltmere'],
      secondaryKeys: ['harbor', 'docks'],
      selectiveLogic: 'and_all',
      content: "Saltmere's docks smell of tar and brine; smugglers meet at the Gull & Lantern.",
      constant: false,
      enabled: true,
      caseSensitive: true,
      wholeWords: true,
      order: 90,
      scanDepth: 5,
      recursive: true,
    });
    const queen = byId(imported.entries, '2');
    expect(queen).toMatchObject({ selectiveLogic: 'not_any', recursive: false, scanDepth: 2, caseSensitive: false, keys: ['/\\bqueen\\s+maren\\b/i'] });
    expect(byId(imported.entries, '3')).toMatchObject({ constant: true, order: 200 });
    expect(byId(imported.entries, '4')).toMatchObject({ enabled: false, selectiveLogic: 'not_all' });
  });

  it('keeps unused fields in extra', () => {
    const kraken = byId(imported.entries, '4');
    expect(kraken.extra).toMatchObject({ probability: 50, position: 4, sticky: 2, cooldown: 3, selective: false, characterFilter: { isExclude: false, names: [], tags: [] } });
    expect(byId(imported.entries, '1').extra['excludeRecursion']).toBe(true);
  });

  it('round-trips losslessly, nulls included', () => {
    expect(toWorldInfo(imported.entries, imported.meta)).toEqual(JSON.parse(worldInfoText));
  });

  it('exports an edit from the new value and leaves the rest as it was', () => {
    const edited = imported.entries.map((entry) => (entry.id === '0' ? { ...entry, content: 'New text.', scanDepth: 7, selectiveLogic: 'not_any' as const } : entry));
    const out = toWorldInfo(edited, imported.meta) as { entries: Record<string, Record<string, unknown>> };
    const original = JSON.parse(worldInfoText) as { entries: Record<string, Record<string, unknown>> };
    expect(out.entries['0']).toEqual({ ...original.entries['0'], content: 'New text.', scanDepth: 7, selectiveLogic: 2 });
    expect(out.entries['1']).toEqual(original.entries['1']);
  });

  it('imported entries fire as SillyTavern would', () => {
    const fire = (messages: string[]) => activateEntries({ entries: imported.entries, recentMessages: messages }).activated.map((a) => a.entry.id);
    expect(fire(['We reach Saltmere; the harbor and docks are busy.'])).toEqual(['3', '1']);
    expect(fire(['we reach saltmere; the harbor and docks are busy.'])).toEqual(['3']); // case sensitive
    expect(fire(['We reach Saltmere harbor.'])).toEqual(['3']); // and_all needs docks too
    expect(fire(['An audience with QUEEN   Maren.'])).toEqual(['3', '2']);
    expect(fire(['Queen Maren fears the rebellion.'])).toEqual(['3']); // not_any
    expect(fire(['The kraken wakes.'])).toEqual(['3']); // disabled
  });

  it('rejects files that are not World Info with a clear message', () => {
    expect(() => parseLorebook('{nope')).toThrow(LorebookFormatError);
    expect(() => parseLorebook('{nope')).toThrow('lorebook is not valid JSON');
    expect(() => parseLorebook('{"name": "x"}')).toThrow('not a lorebook: expected SillyTavern World Info');
    expect(() => parseLorebook('[1, 2]')).toThrow('lorebook must be a JSON object');
    expect(() => parseLorebook('{"entries": {"7": "text"}}')).toThrow('World Info entry "7" is not an object');
    expect(() => parseLorebook('{"spec": "chara_card_v2", "data": {}}')).toThrow('this is a character card');
  });

  it('warns about an unknown selectiveLogic instead of failing', () => {
    const parsed = parseWorldInfo({ entries: { '0': { uid: 0, key: ['a'], content: 'x', selectiveLogic: 9 } } });
    expect(parsed.entries[0]?.selectiveLogic).toBe('and_any');
    expect(parsed.warnings).toEqual(['entry "0": unknown selectiveLogic 9, using AND ANY']);
  });
});

describe('lorebook_v3 and character_book import', () => {
  const imported = parseLorebook(lorebookV3Text);

  it('maps entries, book scan depth and names', () => {
    expect(imported.format).toBe('lorebook_v3');
    expect(imported.name).toBe('Skyreach Atlas');
    expect(coreOf(byId(imported.entries, '1'))).toEqual({
      id: '1',
      comment: 'Skyreach',
      keys: ['Skyreach', 'floating isles'],
      secondaryKeys: [],
      selectiveLogic: 'and_any',
      content: 'Skyreach is an archipelago of islands drifting above the cloud sea.',
      constant: false,
      enabled: true,
      caseSensitive: false,
      wholeWords: false,
      order: 10,
      scanDepth: 4,
      recursive: true,
    });
    expect(byId(imported.entries, '3')).toMatchObject({ enabled: false, caseSensitive: true, comment: 'Vey' });
    expect(byId(imported.entries, '1').extra).toMatchObject({ priority: 5, position: 'before_char', name: 'Skyreach', use_regex: false });
  });

  it('turns V3 use_regex keys into /regex/ keys that match as regexes', () => {
    const airships = byId(imported.entries, '2');
    expect(airships.keys).toEqual(['/air ?ships?/i', '/zeppelins?/i']);
    const fired = activateEntries({ entries: imported.entries, recentMessages: ['Three AIRSHIPS approach'] });
    expect(fired.activated.map((a) => a.entry.id)).toEqual(['2']);
  });

  it('round-trips losslessly', () => {
    expect(toLorebookV3(imported.entries, imported.meta)).toEqual(JSON.parse(lorebookV3Text));
  });

  it("keeps SillyTavern's own character_book keys as written even with use_regex", () => {
    const book = {
      name: 'st',
      entries: [
        {
          id: 0,
          keys: ['Mr. Smith'],
          secondary_keys: [],
          comment: '',
          content: 'c',
          constant: false,
          selective: true,
          insertion_order: 100,
          enabled: true,
          position: 'before_char',
          use_regex: true,
          extensions: { display_index: 0, selectiveLogic: 3, scan_depth: null, match_whole_words: true, case_sensitive: null, exclude_recursion: true, prevent_recursion: true },
        },
      ],
    };
    const parsed = parseCharacterBook(book);
    expect(parsed.entries[0]).toMatchObject({ keys: ['Mr. Smith'], selectiveLogic: 'and_all', wholeWords: true, recursive: false, scanDepth: 2 });
    expect(toCharacterBook(parsed.entries, parsed.meta)).toEqual(book);
    const fired = activateEntries({ entries: parsed.entries, recentMessages: ['MrX Smith'] });
    expect(fired.activated).toEqual([]);
  });

  it('rejects broken books clearly', () => {
    expect(() => parseLorebook('{"spec": "lorebook_v3", "data": {"entries": 3}}')).toThrow('lorebook_v3 data has no "entries" list');
    expect(() => parseLorebook('{"entries": [1]}')).toThrow('character_book entry 0 is not an object');
  });
});

describe('cross-format export', () => {
  it('World Info → character_book → back keeps the entries and SillyTavern extension fields', () => {
    const imported = parseLorebook(worldInfoText);
    const book = toCharacterBook(imported.entries, { name: 'eldoria' });
    const entries = book['entries'] as Array<Record<string, unknown>>;
    expect(entries[1]).toMatchObject({ id: 1, insertion_order: 90, position: 'after_char', extensions: { exclude_recursion: true, scan_depth: 5, match_whole_words: true, selectiveLogic: 3 } });
    const again = parseCharacterBook(book);
    expect(again.entries.map(coreOf)).toEqual(imported.entries.map(coreOf));
    const backToWorldInfo = toWorldInfo(again.entries) as { entries: Record<string, Record<string, unknown>> };
    expect(backToWorldInfo.entries['1']).toMatchObject({ excludeRecursion: true, position: 1, scanDepth: 5, selectiveLogic: 3 });
  });

  it('a Flower-made entry exports to World Info that imports back identically', () => {
    const native: LoreEntry = {
      id: '12',
      comment: 'Gate',
      keys: ['gate'],
      secondaryKeys: ['north'],
      selectiveLogic: 'not_all',
      content: 'The north gate is sealed.',
      constant: false,
      enabled: true,
      caseSensitive: false,
      wholeWords: true,
      order: 40,
      scanDepth: 3,
      recursive: false,
      extra: {},
    };
    const file = toWorldInfo([native]);
    expect((file['entries'] as Record<string, Record<string, unknown>>)['12']).toMatchObject({ uid: 12, selectiveLogic: 1, preventRecursion: true, selective: true });
    expect(parseWorldInfo(file).entries.map(coreOf)).toEqual([coreOf(native)]);
    expect(parseCharacterBook(toCharacterBook([native])).entries.map(coreOf)).toEqual([coreOf(native)]);
  });
});
