import { describe, expect, it } from 'vitest';
import { parseYamlObject } from './content-files.ts';
import { parseWorld } from './schemas.ts';

const world = (entries: unknown[]) => ({ id: 'w', name: 'W', lore: 'L', start_message: 'S', entries });

const entriesOf = (raw: unknown) => {
  const parsed = parseWorld(raw);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.value.entries;
};

describe('lore entries', () => {
  it('fill every field with its default', () => {
    expect(entriesOf(world([{ keys: ['dragon'], content: 'Dragons sleep.' }]))).toEqual([
      {
        id: '0',
        comment: '',
        keys: ['dragon'],
        secondaryKeys: [],
        selectiveLogic: 'and_any',
        content: 'Dragons sleep.',
        constant: false,
        enabled: true,
        caseSensitive: false,
        wholeWords: true,
        order: 100,
        scanDepth: 2,
        recursive: true,
        extra: {},
      },
    ]);
  });

  it('take every field from the file, converted to camelCase, keeping unknown fields in extra', () => {
    const [entry] = entriesOf(
      world([
        {
          id: 'k',
          comment: 'note',
          keys: ['/drag(o|a)n/i', 'wyrm'],
          secondary_keys: ['fire'],
          selective_logic: 'not_all',
          content: 'c',
          constant: true,
          enabled: false,
          case_sensitive: true,
          whole_words: false,
          order: 7,
          scan_depth: 5,
          recursive: false,
          probability: 50,
        },
      ]),
    );
    expect(entry).toEqual({
      id: 'k',
      comment: 'note',
      keys: ['/drag(o|a)n/i', 'wyrm'],
      secondaryKeys: ['fire'],
      selectiveLogic: 'not_all',
      content: 'c',
      constant: true,
      enabled: false,
      caseSensitive: true,
      wholeWords: false,
      order: 7,
      scanDepth: 5,
      recursive: false,
      extra: { probability: 50 },
    });
  });

  it('number the entries without an id by their index, and stringify numeric ids', () => {
    const entries = entriesOf(world([{ content: 'a' }, { id: 12, content: 'b' }, { content: 'c' }]));
    expect(entries.map((entry) => entry.id)).toEqual(['0', '12', '2']);
  });

  it('accept a single key for a list, numbers as words, and drop empty keys', () => {
    const [entry] = entriesOf(world([{ keys: 'lighthouse', secondary_keys: [1984, '', '  '], content: 'c' }]));
    expect(entry?.keys).toEqual(['lighthouse']);
    expect(entry?.secondaryKeys).toEqual(['1984']);
  });

  it('treat null fields as absent (an empty YAML value)', () => {
    const parsed = parseYamlObject('id: w\nname: W\nlore: L\nstart_message: S\nentries:\n  - content: c\n    keys:\n    scan_depth:\n    enabled:\n');
    if (!parsed.ok) throw new Error(parsed.problem);
    const [entry] = entriesOf(parsed.raw);
    expect(entry).toMatchObject({ keys: [], scanDepth: 2, enabled: true });
  });

  it('reject a non-list entries field', () => {
    expect(parseWorld({ ...world([]), entries: 'none' })).toEqual({
      ok: false,
      problem: "field 'entries' must be a list (got 'none')",
    });
  });

  it('reject a non-boolean flag, naming the entry', () => {
    expect(parseWorld(world([{ content: 'c' }, { content: 'd', constant: 'yes' }]))).toEqual({
      ok: false,
      problem: "field 'entries[1].constant' must be a boolean (got 'yes')",
    });
  });
});
