/**
 * The exact token count of a long text that changes a little from turn to turn (the system
 * message: stable sections, then this turn's lore and memories), without tokenizing all of it.
 *
 * The tokenizer (o200k) first splits text into pieces with a regex and encodes each piece on
 * its own, so a text's count is the sum of its parts' counts wherever the parts meet at a piece
 * boundary that each part, counted alone, also ends or starts with. Two such places are used:
 * - after a line break followed by anything but whitespace or `/`: a piece holds a line break
 *   only in a run of whitespace or at the end of a punctuation run (`[\r\n/]*`), so none spans
 *   it, and the regex (no lookbehind) never needs to look past it from the text before;
 * - between a letter and a space: letters only ever sit in word pieces, which end at the space.
 * So the system message is counted line by line (a counter's cache answers for the lines seen
 * before), and a bulleted line `- {text}\n` from the count of its text, which prompt assembly
 * has already made, plus a few short pieces at its two ends. The property tests in
 * line-tokens.test.ts check both against counting the whole text.
 */
import type { TokenCounter } from '../tokens.ts';

/** Where a line may start: anything but whitespace and `/`. */
const LINE_START = /[^\s/]/u;
const LETTER = /\p{L}/u;
/** How far into a bulleted text its first and last word ends are looked for. */
const WORD_END_WINDOW = 256;

export function countByLines(text: string, counter: TokenCounter): number {
  let total = 0;
  let start = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < text.length - 1; at = text.indexOf('\n', at + 1)) {
    if (!LINE_START.test(text.charAt(at + 1))) continue;
    total += counter.count(text.slice(start, at + 1));
    start = at + 1;
  }
  return total + counter.count(text.slice(start));
}

/**
 * `countByLines` of `text`, where each of `bullets` (in the order they appear) stands on its
 * own line as `- {bullet}` followed by line breaks: those lines are counted from `counter.count`
 * of the bullet itself. A bullet not found as such is counted with the lines around it.
 */
export function countWithBullets(text: string, bullets: readonly string[], counter: TokenCounter): number {
  let total = 0;
  let from = 0;
  for (const bullet of bullets) {
    const at = text.indexOf(`\n- ${bullet}\n`, from > 0 ? from - 1 : 0);
    if (at < 0) continue;
    const start = at + 1;
    let end = start + 2 + bullet.length;
    while (text.charAt(end) === '\n') end++;
    if (end < text.length && !LINE_START.test(text.charAt(end))) continue;
    const tokens = bulletLineTokens(bullet, text.slice(start + 2 + bullet.length, end), counter);
    if (tokens === undefined) continue;
    total += countByLines(text.slice(from, start), counter) + tokens;
    from = end;
  }
  return total + (from < text.length ? countByLines(text.slice(from), counter) : 0);
}

/**
 * The count of `- {bullet}{ending}` from the bullet's own count: the bullet is cut after its
 * first and before its last letter followed by a space; only the two short ends are counted
 * with what stands next to them in the line. Undefined when the bullet has no such place near
 * its ends (one long word, or text without spaces).
 */
function bulletLineTokens(bullet: string, ending: string, counter: TokenCounter): number | undefined {
  const head = wordEnd(bullet, 1, Math.min(bullet.length, WORD_END_WINDOW));
  const tail = wordEnd(bullet, bullet.length - 1, Math.max(0, bullet.length - WORD_END_WINDOW), -1);
  if (head === undefined || tail === undefined) return undefined;
  const first = bullet.slice(0, head);
  const last = bullet.slice(tail);
  return counter.count('-') + counter.count(` ${first}`) + counter.count(bullet) - counter.count(first) - counter.count(last) + counter.count(`${last}${ending}`);
}

/** The first index from `from` towards `to` (by `step`) that holds a space after a letter. */
function wordEnd(text: string, from: number, to: number, step: 1 | -1 = 1): number | undefined {
  for (let at = from; step > 0 ? at < to : at > to; at += step) {
    if (text.charCodeAt(at) === 32 && LETTER.test(text.charAt(at - 1))) return at;
  }
  return undefined;
}
