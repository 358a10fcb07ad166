import { describe, expect, it } from 'vitest';
import type { LoreEntry } from '../content.ts';
import { activateEntries } from './activate.ts';

let next = 0;
function entry(fields: Partial<LoreEntry>): LoreEntry {
  next += 1;
  return {
    id: fields.id ?? `e${next}`,
    comment: '',
    keys: [],
    secondaryKeys: [],
    selectiveLogic: 'and_any',
    content: '',
    constant: false,
    enabled: true,
    caseSensitive: false,
    wholeWords: false,
    order: 100,
    scanDepth: 2,
    recursive: true,
    extra: {},
    ...fields,
  };
}

const ids = (result: ReturnType<typeof activateEntries>) => result.activated.map((a) => a.entry.id);

describe('activateEntries: primary keys', () => {
  it('fires on a plain key, case-insensitively by default, and reports the key and message depth', () => {
    const dragon = entry({ id: 'dragon', keys: ['Dragon'], content: 'Dragons hoard gold.' });
    const result = activateEntries({ entries: [dragon], recentMessages: ['a DRAGON lands', 'we run'] });
    expect(result.activated).toEqual([{ entry: dragon, trigger: { key: 'Dragon', source: 'message', depth: 2 }, content: 'Dragons hoard gold.' }]);
  });

  it('respects case_sensitive', () => {
    const e = entry({ id: 'x', keys: ['Dragon'], caseSensitive: true });
    expect(ids(activateEntries({ entries: [e], recentMessages: ['a dragon'] }))).toEqual([]);
    expect(ids(activateEntries({ entries: [e], recentMessages: ['a Dragon'] }))).toEqual(['x']);
  });

  it('matches whole words only when asked, and phrases as a whole', () => {
    const cat = entry({ id: 'cat', keys: ['cat'], wholeWords: true });
    const loose = entry({ id: 'loose', keys: ['cat'] });
    expect(ids(activateEntries({ entries: [cat, loose], recentMessages: ['the category'] }))).toEqual(['loose']);
    expect(ids(activateEntries({ entries: [cat], recentMessages: ['a cat, asleep'] }))).toEqual(['cat']);
    expect(ids(activateEntries({ entries: [cat], recentMessages: ['cat'] }))).toEqual(['cat']);
    const phrase = entry({ id: 'phrase', keys: ['black cat'], wholeWords: true });
    expect(ids(activateEntries({ entries: [phrase], recentMessages: ['the Black Cat inn'] }))).toEqual(['phrase']);
    expect(ids(activateEntries({ entries: [phrase], recentMessages: ['a black and a cat'] }))).toEqual([]);
  });

  it('supports /regex/flags keys, which ignore the case setting', () => {
    const re = entry({ id: 're', keys: ['/dra(g|k)on/i'], caseSensitive: true });
    const strict = entry({ id: 'strict', keys: ['/Drakon/'] });
    const result = activateEntries({ entries: [re, strict], recentMessages: ['a DRAKON'] });
    expect(ids(result)).toEqual(['re']);
    expect(result.activated[0]?.trigger.key).toBe('/dra(g|k)on/i');
  });

  it('treats an invalid regex as no match and reports it instead of throwing', () => {
    const bad = entry({ id: 'bad', keys: ['/(unclosed/', 'castle'] });
    const result = activateEntries({ entries: [bad], recentMessages: ['(unclosed'] });
    expect(ids(result)).toEqual([]);
    expect(result.problems).toEqual([{ entryId: 'bad', key: '/(unclosed/', problem: expect.stringContaining('invalid regex') }]);
    expect(ids(activateEntries({ entries: [bad], recentMessages: ['the castle'] }))).toEqual(['bad']);
  });

  it('a /path/with/slashes/ key is plain text, as in SillyTavern', () => {
    const e = entry({ id: 'p', keys: ['/usr/bin/'] });
    expect(ids(activateEntries({ entries: [e], recentMessages: ['run /usr/bin/ls'] }))).toEqual(['p']);
  });

  it('scans only the last scan_depth messages', () => {
    const shallow = entry({ id: 'shallow', keys: ['sword'], scanDepth: 1 });
    const deep = entry({ id: 'deep', keys: ['sword'], scanDepth: 3 });
    const result = activateEntries({ entries: [shallow, deep], recentMessages: ['a sword', 'hello', 'bye'] });
    expect(ids(result)).toEqual(['deep']);
    expect(result.activated[0]?.trigger.depth).toBe(3);
  });

  it('never fires a disabled entry, even a constant one, and lists it as skipped', () => {
    const off = entry({ id: 'off', keys: ['x'], constant: true, enabled: false });
    const result = activateEntries({ entries: [off], recentMessages: ['x'] });
    expect(ids(result)).toEqual([]);
    expect(result.skipped).toEqual([{ entry: off, reason: 'disabled', detail: expect.any(String) }]);
  });

  it('always fires a constant entry', () => {
    const c = entry({ id: 'c', constant: true });
    const result = activateEntries({ entries: [c], recentMessages: [] });
    expect(result.activated).toEqual([{ entry: c, trigger: { key: '', source: 'constant' }, content: '' }]);
  });

  it('orders by order, higher first', () => {
    const low = entry({ id: 'low', keys: ['a'], order: 1 });
    const high = entry({ id: 'high', keys: ['a'], order: 500 });
    const mid = entry({ id: 'mid', constant: true, order: 50 });
    expect(ids(activateEntries({ entries: [low, high, mid], recentMessages: ['a'] }))).toEqual(['high', 'mid', 'low']);
  });

  it('expands macros in keys when asked', () => {
    const e = entry({ id: 'me', keys: ['{{char}}'] });
    const expandKey = (key: string) => key.replace('{{char}}', 'Seraphina');
    expect(ids(activateEntries({ entries: [e], recentMessages: ['Seraphina smiles'], expandKey }))).toEqual(['me']);
  });
});

describe('activateEntries: decorators', () => {
  it('strips decorator lines from the content, also for recursion', () => {
    const a = entry({ id: 'a', keys: ['castle'], content: '@@depth 2\n@@role system\nThe duke lives here.' });
    const b = entry({ id: 'b', keys: ['@@depth'] });
    const c = entry({ id: 'c', keys: ['duke'] });
    const result = activateEntries({ entries: [a, b, c], recentMessages: ['the castle'] });
    expect(result.activated.map((x) => [x.entry.id, x.content])).toEqual([
      ['a', 'The duke lives here.'],
      ['c', ''],
    ]);
  });

  it('@@activate fires without keys; @@dont_activate never fires, even when constant', () => {
    const on = entry({ id: 'on', content: '@@activate\nAlways.' });
    const off = entry({ id: 'off', keys: ['x'], constant: true, content: '@@dont_activate\nNever.' });
    const result = activateEntries({ entries: [on, off], recentMessages: ['x'] });
    expect(result.activated.map((x) => [x.entry.id, x.trigger.source, x.content])).toEqual([['on', 'decorator', 'Always.']]);
    expect(result.skipped.map((x) => [x.entry.id, x.reason])).toEqual([['off', 'decorator']]);
  });

  it('uses a @@@ fallback only when the decorator above it is unknown', () => {
    const fallback = entry({ id: 'f', content: '@@risu_only 4\n@@@activate\nText.' });
    const ignored = entry({ id: 'g', keys: ['zzz'], content: '@@dont_activate\n@@@activate\nText.' });
    const result = activateEntries({ entries: [fallback, ignored], recentMessages: [] });
    expect(result.activated.map((x) => x.entry.id)).toEqual(['f']);
  });
});

describe('activateEntries: secondary keys (SillyTavern selectiveLogic)', () => {
  const message = ['the knight draws a sword'];
  const make = (logic: LoreEntry['selectiveLogic'], secondaryKeys: string[]) =>
    entry({ id: logic, keys: ['knight'], secondaryKeys, selectiveLogic: logic });
  const fires = (e: LoreEntry) => ids(activateEntries({ entries: [e], recentMessages: message })).length === 1;

  it('and_any: at least one secondary key must match', () => {
    expect(fires(make('and_any', ['sword', 'shield']))).toBe(true);
    expect(fires(make('and_any', ['axe', 'shield']))).toBe(false);
  });

  it('and_all: every secondary key must match', () => {
    expect(fires(make('and_all', ['sword', 'draws']))).toBe(true);
    expect(fires(make('and_all', ['sword', 'shield']))).toBe(false);
  });

  it('not_any: no secondary key may match', () => {
    expect(fires(make('not_any', ['axe', 'shield']))).toBe(true);
    expect(fires(make('not_any', ['axe', 'sword']))).toBe(false);
  });

  it('not_all: fires unless every secondary key matches', () => {
    expect(fires(make('not_all', ['sword', 'shield']))).toBe(true);
    expect(fires(make('not_all', ['sword', 'draws']))).toBe(false);
  });

  it('empty secondary keys mean primary-only for every logic', () => {
    for (const logic of ['and_any', 'and_all', 'not_any', 'not_all'] as const) expect(fires(make(logic, []))).toBe(true);
  });

  it('an imported entry with selective=false ignores its secondary keys, as SillyTavern does', () => {
    const e = entry({ keys: ['knight'], secondaryKeys: ['axe'], extra: { selective: false } });
    expect(fires(e)).toBe(true);
  });

  it('lists an entry blocked by its secondary keys as skipped with the logic', () => {
    const e = make('and_all', ['sword', 'shield']);
    const result = activateEntries({ entries: [e], recentMessages: message });
    expect(result.skipped).toEqual([{ entry: e, reason: 'secondary_keys', detail: expect.stringContaining('and_all') }]);
  });
});

describe('activateEntries: recursion', () => {
  const chain = () => {
    const a = entry({ id: 'a', keys: ['castle'], content: 'The castle belongs to the duke.' });
    const b = entry({ id: 'b', keys: ['duke'], content: 'The duke has a daughter.' });
    const c = entry({ id: 'c', keys: ['daughter'], content: 'She keeps a falcon.' });
    const d = entry({ id: 'd', keys: ['falcon'], content: 'The falcon is called Ash.' });
    const e = entry({ id: 'e', keys: ['Ash'], content: 'End.' });
    return [a, b, c, d, e];
  };

  it("scans activated entries' text again, reporting the step", () => {
    const result = activateEntries({ entries: chain(), recentMessages: ['we reach the castle'], maxRecursionDepth: 2 });
    expect(result.activated.map((a) => [a.entry.id, a.trigger.source, a.trigger.depth])).toEqual([
      ['a', 'message', 1],
      ['b', 'recursion', 1],
      ['c', 'recursion', 2],
    ]);
  });

  it('stops at the default depth of 3', () => {
    expect(ids(activateEntries({ entries: chain(), recentMessages: ['the castle'] }))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('is off with maxRecursionDepth 0', () => {
    expect(ids(activateEntries({ entries: chain(), recentMessages: ['the castle'], maxRecursionDepth: 0 }))).toEqual(['a']);
  });

  it('terminates on cycles', () => {
    const x = entry({ id: 'x', keys: ['x'], content: 'y' });
    const y = entry({ id: 'y', keys: ['y'], content: 'x' });
    expect(ids(activateEntries({ entries: [x, y], recentMessages: ['x'], maxRecursionDepth: 50 }))).toEqual(['x', 'y']);
  });

  it('a non-recursive entry does not trigger others', () => {
    const [a, b] = chain();
    const quiet = { ...a!, recursive: false };
    expect(ids(activateEntries({ entries: [quiet, b!], recentMessages: ['the castle'] }))).toEqual(['a']);
  });

  it('honours preventRecursion and excludeRecursion from imported extra', () => {
    const [a, b] = chain();
    const prevented = { ...a!, extra: { preventRecursion: true } };
    expect(ids(activateEntries({ entries: [prevented, b!], recentMessages: ['the castle'] }))).toEqual(['a']);
    const excluded = { ...b!, extra: { excludeRecursion: true } };
    expect(ids(activateEntries({ entries: [a!, excluded], recentMessages: ['the castle'] }))).toEqual(['a']);
    expect(ids(activateEntries({ entries: [a!, excluded], recentMessages: ['the duke'] }))).toEqual(['b']);
  });

  it('honours delayUntilRecursion: fires only in a recursion step', () => {
    const [a] = chain();
    const late = entry({ id: 'late', keys: ['castle'], extra: { delayUntilRecursion: true } });
    const result = activateEntries({ entries: [a!, late], recentMessages: ['the castle'] });
    expect(result.activated.map((x) => [x.entry.id, x.trigger.source])).toEqual([
      ['a', 'message'],
      ['late', 'message'],
    ]);
    const alone = activateEntries({ entries: [late], recentMessages: ['the castle'], maxRecursionDepth: 0 });
    expect(alone.skipped[0]?.reason).toBe('delayed_until_recursion');
  });

  it('an entry with scan_depth 0 ignores messages but can still fire from recursion', () => {
    const [a] = chain();
    const deep = entry({ id: 'deep', keys: ['duke'], scanDepth: 0 });
    expect(ids(activateEntries({ entries: [deep], recentMessages: ['the duke'] }))).toEqual([]);
    const result = activateEntries({ entries: [a!, deep], recentMessages: ['the castle'] });
    expect(result.activated.map((x) => [x.entry.id, x.trigger.source])).toEqual([
      ['a', 'message'],
      ['deep', 'recursion'],
    ]);
  });

  it('reports an invalid secondary regex and treats it as no match', () => {
    const e = entry({ id: 's', keys: ['knight'], secondaryKeys: ['/[oops/'], selectiveLogic: 'not_any' });
    const result = activateEntries({ entries: [e], recentMessages: ['a knight [oops'] });
    expect(ids(result)).toEqual(['s']);
    expect(result.problems).toEqual([{ entryId: 's', key: '/[oops/', problem: expect.stringContaining('invalid regex') }]);
  });

  it('recursion text can satisfy secondary keys', () => {
    const a = entry({ id: 'a', keys: ['castle'], content: 'It has a moat.' });
    const b = entry({ id: 'b', keys: ['castle'], secondaryKeys: ['moat'], selectiveLogic: 'and_all' });
    expect(ids(activateEntries({ entries: [a, b], recentMessages: ['the castle'] }))).toEqual(['a', 'b']);
  });
});
