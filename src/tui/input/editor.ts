import { verticalTarget } from './visual-rows.ts';

/**
 * The input box's text as a pure value: the text and a cursor index (in UTF-16 units, on a
 * grapheme boundary: an emoji family or a flag is one step). Every edit returns a new Draft.
 */
export interface Draft {
  text: string;
  cursor: number;
}

export const emptyDraft: Draft = { text: '', cursor: 0 };

export type EditOp =
  | { op: 'insert'; text: string }
  | { op: 'backspace' }
  | { op: 'delete' }
  | { op: 'left' }
  | { op: 'right' }
  | { op: 'lineStart' }
  | { op: 'lineEnd' }
  /** With `columns`, by screen row (wrapped lines included); without, by line. */
  | { op: 'up'; columns?: number }
  | { op: 'down'; columns?: number }
  | { op: 'deleteWordBefore' }
  | { op: 'deleteToLineStart' }
  | { op: 'deleteToLineEnd' };

export function draftOf(text: string): Draft {
  return { text, cursor: text.length };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Length of the grapheme ending at `index`; only its line is segmented (no grapheme spans a newline). */
function stepBack(text: string, index: number): number {
  if (index <= 0) return 0;
  const start = lineStartOf(text, index - 1);
  const segment = graphemes.segment(text.slice(start, lineEndOf(text, index - 1))).containing(index - 1 - start);
  return segment ? index - (start + segment.index) : 1;
}

function stepForward(text: string, index: number): number {
  if (index >= text.length) return 0;
  const start = lineStartOf(text, index);
  const segment = graphemes.segment(text.slice(start, lineEndOf(text, index))).containing(index - start);
  return segment ? start + segment.index + segment.segment.length - index : 1;
}

function lineStartOf(text: string, cursor: number): number {
  return text.lastIndexOf('\n', cursor - 1) + 1;
}

function lineEndOf(text: string, cursor: number): number {
  const end = text.indexOf('\n', cursor);
  return end === -1 ? text.length : end;
}

/** Moves by screen row when the box width is known, else to the same column on the line above or below. */
function verticalEdit(draft: Draft, direction: -1 | 1, columns: number | undefined): Draft {
  if (columns === undefined) return verticalMove(draft, direction);
  const target = verticalTarget(draft, columns, direction);
  if (target === null) return { text: draft.text, cursor: direction === -1 ? 0 : draft.text.length };
  return { text: draft.text, cursor: target };
}

/** Moves to the same column on the line above or below, clamped to that line's length. */
function verticalMove(draft: Draft, direction: -1 | 1): Draft {
  const { text, cursor } = draft;
  const start = lineStartOf(text, cursor);
  const column = cursor - start;
  if (direction === -1) {
    if (start === 0) return { text, cursor: 0 };
    const prevStart = lineStartOf(text, start - 1);
    return { text, cursor: Math.min(prevStart + column, start - 1) };
  }
  const end = lineEndOf(text, cursor);
  if (end === text.length) return { text, cursor: text.length };
  const nextStart = end + 1;
  return { text, cursor: Math.min(nextStart + column, lineEndOf(text, nextStart)) };
}

function splice(draft: Draft, from: number, to: number, insert = ''): Draft {
  const text = draft.text.slice(0, from) + insert + draft.text.slice(to);
  return { text, cursor: from + insert.length };
}

const edits: { [K in EditOp['op']]: (draft: Draft, op: Extract<EditOp, { op: K }>) => Draft } = {
  insert: (d, op) => splice(d, d.cursor, d.cursor, op.text),
  backspace: (d) => splice(d, d.cursor - stepBack(d.text, d.cursor), d.cursor),
  delete: (d) => splice(d, d.cursor, d.cursor + stepForward(d.text, d.cursor)),
  left: (d) => ({ text: d.text, cursor: d.cursor - stepBack(d.text, d.cursor) }),
  right: (d) => ({ text: d.text, cursor: d.cursor + stepForward(d.text, d.cursor) }),
  lineStart: (d) => ({ text: d.text, cursor: lineStartOf(d.text, d.cursor) }),
  lineEnd: (d) => ({ text: d.text, cursor: lineEndOf(d.text, d.cursor) }),
  up: (d, op) => verticalEdit(d, -1, op.columns),
  down: (d, op) => verticalEdit(d, 1, op.columns),
  deleteWordBefore: (d) => {
    const before = d.text.slice(0, d.cursor);
    const match = /\S*\s*$/.exec(before);
    return splice(d, d.cursor - (match?.[0].length ?? 0), d.cursor);
  },
  deleteToLineStart: (d) => splice(d, lineStartOf(d.text, d.cursor), d.cursor),
  deleteToLineEnd: (d) => splice(d, d.cursor, lineEndOf(d.text, d.cursor)),
};

export function applyEdit(draft: Draft, op: EditOp): Draft {
  const edit = edits[op.op] as (d: Draft, o: EditOp) => Draft;
  return edit(draft, op);
}

/** Terminals send CR (and CRLF) for line breaks in pastes; the draft keeps plain LF. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
