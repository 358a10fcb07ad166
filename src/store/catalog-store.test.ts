import { describe, expect, it } from 'vitest';
import { createSqliteStore } from './sqlite-store.ts';

describe('catalog mirror', () => {
  it('mirrors characters (added, changed, removed) and world names', () => {
    const store = createSqliteStore(':memory:');
    store.catalog.sync({
      worlds: [{ id: 'castle', name: 'The Castle' }],
      characters: [
        { id: 'knight', name: 'Sir Alric', persona: 'Brave.' },
        { id: 'thief', name: 'Nim', persona: 'Quick.' },
      ],
    });
    store.catalog.sync({
      worlds: [{ id: 'castle', name: 'The Old Castle' }],
      characters: [{ id: 'knight', name: 'Sir Alric', persona: 'Brave and tired.' }],
    });
    expect(store.catalog.characters()).toEqual([{ id: 'knight', name: 'Sir Alric', persona: 'Brave and tired.' }]);
    store.lore.syncWorld({ id: 'castle', lore: 'Stone walls.' }, ['Stone walls.']);
    expect(store.lore.search('castle', 'stone', 1)).toHaveLength(1);
    store.close();
  });
});
