/**
 * The input box's text as a pure value: the text and a cursor index (in UTF-16 units, always
 * on a code point boundary). Every edit returns a new Draft.
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
  | { op: 'up' }
  | { op: 'down' }
  | { op: 'deleteWordBefore' }
  | { op: 'deleteToLineStart' }
  | { op: 'deleteToLineEnd' };

export function draftOf(text: string): Draft {
  return { text, cursor: text.length };
}

/** Code point length ending at `index` (2 for a surrogate pair). */
function stepBack(text: string, index: number): number {
  if (index <= 0) return 0;
  const low = text.charCodeAt(index - 1);
  const high = text.charCodeAt(index - 2);
  const isPair = low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
  return isPair ? 2 : 1;
}

function stepForward(text: string, index: number): number {
  if (index >= text.length) return 0;
  const code = text.codePointAt(index) ?? 0;
  return code > 0xffff ? 2 : 1;
}

function lineStartOf(text: string, cursor: number): number {
  return text.lastIndexOf('\n', cursor - 1) + 1;
}

function lineEndOf(text: string, cursor: number): number {
  const end = text.indexOf('\n', cursor);
  return end === -1 ? text.length : end;
}

/** Whether the cursor is on the first / last line (Up/Down then browse history instead). */
export function onFirstLine(draft: Draft): boolean {
  return !draft.text.slice(0, draft.cursor).includes('\n');
}

export function onLastLine(draft: Draft): boolean {
  return !draft.text.slice(draft.cursor).includes('\n');
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
  up: (d) => verticalMove(d, -1),
  down: (d) => verticalMove(d, 1),
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
