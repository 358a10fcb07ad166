/**
 * SillyTavern-style macros in world text, rules, start messages and entries:
 * `{{char}}`, `{{user}}` (any case, plus legacy `<BOT>`/`<USER>` and `<CHAR>`),
 * `{{random:a,b,c}}` and `{{random::a::b}}`. Unknown macros are left as written.
 */
import type { RandomSource } from '../ports.ts';

export interface MacroContext {
  /** Who the narrator plays (the card's name, or the world's narrator name). */
  char: string;
  /** The player's character. */
  user: string;
  random: RandomSource;
}

const NAME_MACRO = /\{\{\s*(char|user)\s*\}\}|<(user|bot|char)>/gi;
const RANDOM_MACRO = /\{\{\s*random\s*(::?)([\s\S]*?)\}\}/gi;

export function expandMacros(text: string, context: MacroContext): string {
  if (!text.includes('{{') && !text.includes('<')) return text;
  // Names first, as SillyTavern does, so `{{random:{{char}},{{user}}}}` picks between the names.
  const named = text.replace(NAME_MACRO, (_whole, macro: string | undefined, tag: string | undefined) =>
    (macro ?? tag ?? '').toLowerCase() === 'user' ? context.user : context.char,
  );
  return named.replace(
    RANDOM_MACRO,
    (whole, separator: string, args: string) => pickRandom(separator, args, context.random) ?? whole,
  );
}

/** `{{random::a::b}}` splits on `::` (so options may hold commas); `{{random:a,b}}` splits on commas. */
function pickRandom(separator: string, args: string, random: RandomSource): string | undefined {
  const options = separator === '::' ? args.split('::') : args.split(',');
  if (options.length === 0 || (options.length === 1 && options[0]?.trim() === '')) return undefined;
  const index = Math.min(options.length - 1, Math.floor(random.next() * options.length));
  const choice = options[index] ?? '';
  return separator === '::' ? choice : choice.trim();
}
