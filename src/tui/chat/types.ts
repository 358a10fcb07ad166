/** One message as the chat transcript shows it; the app maps protocol history/events into these. */
export interface ChatMessageView {
  id: string;
  kind: 'user' | 'narrator' | 'system' | 'error';
  text: string;
  streaming?: boolean;
  /** Alternative replies ("swipes") for this message: 0-based index of the one shown and how many exist. */
  swipe?: { index: number; count: number };
  /** The engine's number for a stored message (what `/edit N` and `/delete N` take); none for local notices. */
  n?: number;
  /**
   * A reasoning model's thinking for this reply (additive `reasoning_chunk` events), kept apart
   * from `text`: shown collapsed to one line unless the player expands it, never copied as the reply.
   */
  reasoning?: string;
  /** Hidden from the narrator (`/hide`): still part of the story, shown dimmed with a marker. */
  hidden?: boolean;
}

export type MessageKind = ChatMessageView['kind'];

/**
 * What a piece of text is, not how it looks: ChatView maps roles to colours,
 * and drops all of them when colours are off.
 */
export type Role =
  | 'label-user'
  | 'label-narrator'
  | 'label-system'
  | 'label-error'
  | 'system'
  | 'error'
  | 'muted'
  | 'spinner'
  | 'indicator'
  | 'code'
  | 'link'
  | 'url'
  | 'heading'
  | 'quote'
  | 'bullet'
  | 'rule'
  | 'reasoning';

export interface Style {
  /** Faint: the text of a message hidden from the narrator. */
  dim?: boolean;
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  underline?: boolean;
  role?: Role;
}

export interface Segment {
  text: string;
  style: Style;
}

/** One terminal row: segments whose display widths sum to at most the width it was wrapped for. */
export type Row = Segment[];

/**
 * One source line before wrapping. `prefix` starts the first row (a bullet, a quote bar),
 * `hang` starts every continuation row so wrapped text stays aligned under it.
 */
export interface LogicalLine {
  kind: 'text' | 'rule';
  prefix: Segment[];
  hang: Segment[];
  runs: Segment[];
}
