import { describe, expect, it } from 'vitest';
import { fallbackEngineCommands, withClientCommands } from '../commands.ts';
import type { Lists } from '../state/types.ts';
import { completeFrom, derivePalette, pickFrom, type IdItem, type Palette } from './palette.ts';

const commands = withClientCommands(fallbackEngineCommands);
const lists: Lists = {
  worlds: [
    { id: 'eldoria', name: 'Eldoria' },
    { id: 'neon', name: 'Neon Harbor' },
  ],
  characters: [{ id: 'aria', name: 'Aria the Bard' }],
  models: [
    { id: 'openai/gpt-4o-mini', name: 'GPT-4o mini', prompt_price: 0.15, completion_price: 0.6 },
    { id: 'anthropic/claude-sonnet', name: 'Claude Sonnet', prompt_price: 3, completion_price: 15 },
  ],
  rules: [{ id: 'grim', name: 'Grim tone' }],
  sessions: [{ id: 'abc123def456', name: '[eldoria] aria: The tavern door' }],
};

function idsOf(palette: Palette | null): IdItem[] {
  if (palette?.mode !== 'ids') throw new Error('an id picker was expected');
  return palette.items;
}

describe('command palette', () => {
  it('opens on / with every command, client ones included', () => {
    const palette = derivePalette('/', commands, lists, null);
    expect(palette?.mode).toBe('commands');
    expect(palette?.items.map((c) => c.name)).toEqual(commands.map((c) => c.name));
  });

  it('is closed for story text, multi-line drafts and after Esc for the same text', () => {
    expect(derivePalette('I open the door', commands, lists, null)).toBeNull();
    expect(derivePalette('/x\ny', commands, lists, null)).toBeNull();
    expect(derivePalette('/wor', commands, lists, '/wor')).toBeNull();
    expect(derivePalette('/worl', commands, lists, '/wor')).not.toBeNull();
  });

  it('filters commands fuzzily', () => {
    const names = derivePalette('/sescon', commands, lists, null)?.items.map((c) => c.name);
    expect(names?.[0]).toBe('/session continue');
    expect(names).not.toContain('/world select');
  });

  it('picking a command with an id argument chains into the id list', () => {
    const palette = derivePalette('/world sel', commands, lists, null);
    if (!palette) throw new Error('palette expected');
    expect(pickFrom(palette, 0)).toEqual({ kind: 'fill', draft: '/world select ' });
    const ids = derivePalette('/world select ', commands, lists, null);
    expect(ids).toMatchObject({ mode: 'ids', source: 'worlds' });
    expect(idsOf(ids).map((i) => i.id)).toEqual(['eldoria', 'neon']);
  });

  it('filters ids by name or id and sends the full command', () => {
    const byName = derivePalette('/world select harbor', commands, lists, null);
    expect(idsOf(byName).map((i) => i.id)).toEqual(['neon']);
    if (!byName) throw new Error('palette expected');
    expect(pickFrom(byName, 0)).toEqual({ kind: 'send', line: '/world select neon' });
    expect(idsOf(derivePalette('/session continue abc', commands, lists, null)).map((i) => i.id)).toEqual(['abc123def456']);
  });

  it('shows model prices per million tokens', () => {
    const models = derivePalette('/model ', commands, lists, null);
    expect(idsOf(models).map((i) => i.detail)).toEqual(['in $0.15 · out $0.60 /M tok', 'in $3 · out $15 /M tok']);
  });

  it('keeps the highlight on the list when the list shrank', () => {
    const ids = derivePalette('/world select ', commands, lists, null);
    if (!ids) throw new Error('palette expected');
    expect(pickFrom(ids, 7)).toEqual({ kind: 'send', line: '/world select neon' });
  });

  it('Tab completes without sending', () => {
    const palette = derivePalette('/char', commands, lists, null);
    if (!palette) throw new Error('palette expected');
    expect(completeFrom(palette, 0)).toBe('/character select ');
    const ids = derivePalette('/character select ar', commands, lists, null);
    if (!ids) throw new Error('palette expected');
    expect(completeFrom(ids, 0)).toBe('/character select aria');
  });

  it('a command without an argument is sent as picked; free-text arguments close the list', () => {
    const palette = derivePalette('/session new', commands, lists, null);
    if (!palette) throw new Error('palette expected');
    expect(pickFrom(palette, 0)).toEqual({ kind: 'send', line: '/session new' });
    expect(derivePalette('/world attach_lore The moon is red', commands, lists, null)).toBeNull();
  });

  it('sends a command whose argument is optional as picked, and fills one whose argument is required', () => {
    const engineCommands = [
      { name: '/fork', usage: '/fork [N]', description: 'Branch', completion: 'none' as const, takes_argument: true, optional_argument: true },
      { name: '/roll', usage: '/roll <notation>', description: 'Roll dice', completion: 'none' as const, takes_argument: true },
    ];
    const fork = derivePalette('/fork', engineCommands, lists, null);
    if (!fork) throw new Error('palette expected');
    expect(pickFrom(fork, 0)).toEqual({ kind: 'send', line: '/fork' });
    const roll = derivePalette('/roll', engineCommands, lists, null);
    if (!roll) throw new Error('palette expected');
    expect(pickFrom(roll, 0)).toEqual({ kind: 'fill', draft: '/roll ' });
  });
});
