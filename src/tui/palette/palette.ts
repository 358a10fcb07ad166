import { Fzf } from 'fzf';
import type { CommandSpec, CompletionSource, ModelItem, NamedItem } from '../../protocol/index.ts';
import { formatPrice } from '../state/selectors.ts';
import type { Lists } from '../state/types.ts';

/**
 * The command list and the id pickers, derived from the draft alone: `/wor` lists commands,
 * `/world select ` lists worlds filtered by what follows. Keeping it a pure function of the
 * text means Tab, Backspace and history all "just work" without palette state of its own.
 */
export interface IdItem {
  id: string;
  name: string;
  /** Extra column, e.g. model prices. */
  detail: string;
}

export type Palette =
  | { mode: 'commands'; query: string; items: CommandSpec[] }
  | { mode: 'ids'; command: CommandSpec; source: Exclude<CompletionSource, 'none'>; query: string; items: IdItem[] };

export function modelDetail(model: ModelItem): string {
  return `in ${formatPrice(model.prompt_price)} · out ${formatPrice(model.completion_price)} /M tok`;
}

function idItems(source: Exclude<CompletionSource, 'none'>, lists: Lists): IdItem[] {
  if (source === 'models') return lists.models.map((m) => ({ id: m.id, name: m.name, detail: modelDetail(m) }));
  const named: NamedItem[] = lists[source];
  return named.map((item) => ({ id: item.id, name: item.name, detail: '' }));
}

function fuzzy<T>(items: T[], query: string, selector: (item: T) => string): T[] {
  if (query.trim() === '') return items;
  const finder = new Fzf<readonly T[]>(items, { selector, casing: 'case-insensitive' });
  return finder.find(query.trim()).map((result: { item: T }) => result.item);
}

/** The command a draft is giving an argument to: `/world select fo` → `/world select`. */
function commandWithArgument(draft: string, commands: CommandSpec[]): CommandSpec | undefined {
  const candidates = commands.filter((c) => c.takes_argument && draft.startsWith(`${c.name} `));
  // The longest name wins, so `/session continue` beats a hypothetical `/session`.
  return candidates.sort((a, b) => b.name.length - a.name.length)[0];
}

export function derivePalette(draft: string, commands: CommandSpec[], lists: Lists, dismissedFor: string | null): Palette | null {
  if (!draft.startsWith('/') || draft.includes('\n') || draft === dismissedFor) return null;
  const withArgument = commandWithArgument(draft, commands);
  if (withArgument) {
    if (withArgument.completion === 'none') return null;
    const source = withArgument.completion;
    const query = draft.slice(withArgument.name.length + 1);
    const items = fuzzy(idItems(source, lists), query, (item) => `${item.name} ${item.id}`);
    return { mode: 'ids', command: withArgument, source, query, items };
  }
  const query = draft === '/' ? '' : draft;
  return { mode: 'commands', query, items: fuzzy(commands, query, (c) => c.name) };
}

/** What Enter on the highlighted entry means. */
export type Pick = { kind: 'send'; line: string } | { kind: 'fill'; draft: string };

/** The highlight may point past a list that shrank (new sync_state); keep it on the last entry. */
function clampIndex(palette: Palette, index: number): number {
  return Math.max(0, Math.min(index, palette.items.length - 1));
}

export function pickFrom(palette: Palette, wanted: number): Pick | undefined {
  const index = clampIndex(palette, wanted);
  if (palette.mode === 'ids') {
    const item = palette.items[index];
    return item ? { kind: 'send', line: `${palette.command.name} ${item.id}` } : undefined;
  }
  const command = palette.items[index];
  if (!command) return undefined;
  // A command whose argument is optional (`/session new [N]`) runs as picked; the player can still Tab to add one.
  return command.takes_argument && !command.optional_argument ? { kind: 'fill', draft: `${command.name} ` } : { kind: 'send', line: command.name };
}

/** What Tab does: put the highlighted entry into the input without sending. */
export function completeFrom(palette: Palette, wanted: number): string | undefined {
  const index = clampIndex(palette, wanted);
  if (palette.mode === 'ids') {
    const item = palette.items[index];
    return item ? `${palette.command.name} ${item.id}` : undefined;
  }
  const command = palette.items[index];
  if (!command) return undefined;
  return command.takes_argument ? `${command.name} ` : command.name;
}

export const sourceTitles: Record<Exclude<CompletionSource, 'none'>, string> = {
  worlds: 'Worlds',
  characters: 'Characters',
  models: 'Models (USD per million tokens)',
  rules: 'Rules',
  sessions: 'Sessions',
};
