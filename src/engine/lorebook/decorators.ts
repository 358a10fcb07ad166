/**
 * Lorebook decorators (Character Card V3): `@@name value` lines at the start of an entry's
 * content. They are never sent to the model. Like SillyTavern we act on `@@activate` and
 * `@@dont_activate`; a `@@@name` line is a fallback, used only when the decorator above it is
 * not one we know.
 */
export const KNOWN_DECORATORS = ['@@activate', '@@dont_activate'] as const;

export interface SplitContent {
  /** Known decorators in effect, e.g. `@@activate`. */
  decorators: string[];
  /** The content without its decorator lines. */
  content: string;
}

const isKnown = (line: string): boolean => KNOWN_DECORATORS.some((name) => line === name || line.startsWith(`${name} `));

export function splitDecorators(content: string): SplitContent {
  if (!content.startsWith('@@')) return { decorators: [], content };
  const lines = content.split('\n');
  const decorators: string[] = [];
  let previousUnknown = false;
  let index = 0;
  for (; index < lines.length; index++) {
    const line = (lines[index] ?? '').trim();
    if (!line.startsWith('@@')) break;
    const fallback = line.startsWith('@@@');
    if (fallback && !previousUnknown) continue;
    const name = fallback ? line.slice(1) : line;
    if (isKnown(name)) {
      decorators.push(name.split(/\s/)[0] ?? name);
      previousUnknown = false;
    } else {
      previousUnknown = true;
    }
  }
  return { decorators, content: lines.slice(index).join('\n') };
}
