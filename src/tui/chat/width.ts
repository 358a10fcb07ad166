import stringWidth from 'string-width';

export const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// Printable ASCII plus the bullets, arrows and box-drawing characters the transcript itself
// draws: all one column, and common enough that measuring them with string-width shows up in
// profiles of a 5,000-message wrap.
const KNOWN_NARROW = /^[\x20-\x7e\u2022\u2190-\u2193\u2500-\u257f]*$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Columns a string takes in a terminal: wide CJK characters and emoji count 2. */
export function displayWidth(text: string): number {
  return KNOWN_NARROW.test(text) ? text.length : stringWidth(text);
}

/** The text cut to `width` columns at a grapheme boundary. */
export function fitText(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const cell of graphemeCells(text)) {
    if (used + cell.width > width) break;
    out += cell.text;
    used += cell.width;
  }
  return out;
}

/** Grapheme clusters with their offsets and widths, so a long word can be cut between them. */
export function* graphemeCells(text: string): Generator<{ index: number; text: string; width: number }> {
  if (PRINTABLE_ASCII.test(text)) {
    for (let i = 0; i < text.length; i++) yield { index: i, text: text.charAt(i), width: 1 };
    return;
  }
  for (const { segment, index } of graphemes.segment(text)) yield { index, text: segment, width: stringWidth(segment) };
}
