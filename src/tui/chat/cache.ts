import { markdownLines, plainLines } from './markdown.ts';
import { reasoningRows } from './reasoning.ts';
import { sanitizeText } from './sanitize.ts';
import { closeOpenMarkdown } from './streaming.ts';
import type { ChatMessageView, LogicalLine, MessageKind, Row } from './types.ts';
import { wrapLine } from './wrap.ts';

/** Counters a test or benchmark reads to see how much work the cache saved. */
export interface WrapStats {
  /** Messages turned from text into logical lines (Markdown lexed). */
  parses: number;
  /** Messages wrapped at some width. */
  wraps: number;
  /** Wrapped rows served without wrapping again. */
  hits: number;
  /** Line indexes rebuilt from scratch (first use, or the width changed). */
  indexRebuilds: number;
  /** Messages whose line count the index re-measured after an edit, an append or a stream chunk. */
  indexRemeasured: number;
}

/**
 * Where messages start, in rows. Measured lazily from the bottom up: the view asks for as many
 * rows as the window needs, so a 5,000-message session opens after wrapping the last screenful,
 * not the whole history. Messages above `first` have not been wrapped yet.
 */
export interface LineIndex {
  width: number;
  /** Whether reasoning blocks were measured open. */
  reasoningExpanded: boolean;
  /** First message measured. */
  first: number;
  /** starts[k] = first row of message `first + k`, counted from the top of message `first`. */
  starts: readonly number[];
  /** Rows from the top of message `first` to the end of the transcript. */
  rows: number;
  /** Every message is measured, so `rows` is the whole transcript. */
  complete: boolean;
}

interface Entry {
  text: string;
  kind: MessageKind;
  streaming: boolean;
  reasoning: string;
  hidden: boolean;
  lines: LogicalLine[];
  /** Rows by layout (width, reasoning open); only the last few are kept so dragging a resize does not pile up. */
  byWidth: Map<number, Row[]>;
}

const WIDTHS_KEPT = 2;
/** Messages measured beyond what a window needs each time the index grows upward. */
const EXTEND_BATCH = 64;
/** Rows between two messages. */
export const MESSAGE_GAP = 1;
/** The label row above each message's text. */
export const HEADER_ROWS = 1;

/**
 * Wrapped rows per message id + text + width, and a running line index over the transcript.
 * One instance per chat view (or shared by the app and its view): never module state.
 */
export class WrapCache {
  readonly stats: WrapStats = { parses: 0, wraps: 0, hits: 0, indexRebuilds: 0, indexRemeasured: 0 };
  private readonly entries = new Map<string, Entry>();
  private indexWidth = -1;
  private indexExpanded = false;
  private first = 0;
  // Per message, by position, for the measured ones (first..end): what was measured and its height.
  private ids: string[] = [];
  private texts: string[] = [];
  private kinds: MessageKind[] = [];
  private streams: boolean[] = [];
  private reasonings: string[] = [];
  private heights: number[] = [];
  private starts: number[] = [0];

  /** The message's rows (label row not included) at this width: its reasoning, then its text. */
  body(message: ChatMessageView, width: number, reasoningExpanded = false): Row[] {
    const entry = this.entry(message);
    const key = layoutKey(width, reasoningExpanded);
    const cached = entry.byWidth.get(key);
    if (cached) {
      this.stats.hits++;
      return cached;
    }
    this.stats.wraps++;
    const text = entry.lines.flatMap((line) => wrapLine(line, width));
    const full = entry.reasoning === '' ? text : [...reasoningRows(message, width, reasoningExpanded), ...text];
    const rows = entry.hidden ? full.map(dimmed) : full;
    if (entry.byWidth.size >= WIDTHS_KEPT) entry.byWidth.delete(entry.byWidth.keys().next().value as number);
    entry.byWidth.set(key, rows);
    return rows;
  }

  /**
   * The line index for these messages at this width, measuring messages from the bottom up
   * until at least `rowsWanted` rows are known (all of them by default). Messages are compared
   * with what the index last saw (id, text, kind, streaming): only those from the first
   * difference on are measured again, so a stream chunk re-measures the last message only.
   */
  index(messages: readonly ChatMessageView[], width: number, rowsWanted = Number.POSITIVE_INFINITY, reasoningExpanded = false): LineIndex {
    const count = messages.length;
    if (width !== this.indexWidth || reasoningExpanded !== this.indexExpanded) {
      // Like a new width: measured again from the bottom, only as far up as the window needs.
      this.stats.indexRebuilds++;
      this.pruneTo(messages);
      this.indexWidth = width;
      this.indexExpanded = reasoningExpanded;
      this.first = count;
      this.truncate(count);
    } else if (count < this.first) {
      this.first = count;
      this.truncate(count);
    } else {
      this.measureFrom(this.firstChange(messages), messages, width);
    }
    if (this.measuredRows() < rowsWanted && this.first > 0) this.extendUp(messages, width, rowsWanted);
    return { width, reasoningExpanded, first: this.first, starts: this.starts, rows: this.measuredRows(), complete: this.first === 0 };
  }

  private measuredRows(): number {
    return this.starts[this.starts.length - 1] as number;
  }

  /** Re-measure messages from position `from` (at or below `first`) to the end. */
  private measureFrom(from: number, messages: readonly ChatMessageView[], width: number): void {
    this.truncate(messages.length);
    for (let i = from; i < messages.length; i++) {
      this.measure(messages, i, width);
      const k = i - this.first;
      this.starts[k + 1] = (this.starts[k] as number) + (this.heights[i] as number);
    }
  }

  /** Measure messages above `first` until enough rows are known, plus a batch so scrolling up stays cheap. */
  private extendUp(messages: readonly ChatMessageView[], width: number, rowsWanted: number): void {
    let rows = this.measuredRows();
    let extra = EXTEND_BATCH;
    while (this.first > 0 && (rows < rowsWanted || extra-- > 0)) {
      this.first--;
      this.measure(messages, this.first, width);
      rows += this.heights[this.first] as number;
    }
    const starts = [0];
    for (let i = this.first; i < messages.length; i++) starts.push((starts[starts.length - 1] as number) + (this.heights[i] as number));
    this.starts = starts;
  }

  private measure(messages: readonly ChatMessageView[], i: number, width: number): void {
    const message = messages[i] as ChatMessageView;
    this.ids[i] = message.id;
    this.texts[i] = message.text;
    this.kinds[i] = message.kind;
    this.streams[i] = message.streaming === true;
    this.reasonings[i] = message.reasoning ?? '';
    this.heights[i] = messageHeight(this.body(message, width, this.indexExpanded).length, i);
    this.stats.indexRemeasured++;
  }

  private truncate(count: number): void {
    this.ids.length = this.texts.length = this.kinds.length = this.streams.length = this.reasonings.length = this.heights.length = count;
    this.starts.length = Math.max(1, count - this.first + 1);
  }

  /** Position of the first measured message that differs from what was measured (or the old end). */
  private firstChange(messages: readonly ChatMessageView[]): number {
    const known = Math.min(messages.length, this.ids.length);
    for (let i = this.first; i < known; i++) {
      const m = messages[i] as ChatMessageView;
      const changed =
        m.id !== this.ids[i] || m.text !== this.texts[i] || m.kind !== this.kinds[i] || (m.streaming === true) !== this.streams[i] || (m.reasoning ?? '') !== this.reasonings[i];
      if (changed) {
        return i;
      }
    }
    return known;
  }

  private entry(message: ChatMessageView): Entry {
    const streaming = message.streaming === true;
    const reasoning = message.reasoning ?? '';
    const hidden = message.hidden === true;
    const known = this.entries.get(message.id);
    if (known && known.text === message.text && known.kind === message.kind && known.streaming === streaming && known.hidden === hidden) {
      if (known.reasoning === reasoning) return known;
      // Thinking grew: the text's lines stand, only the rows (which start with the reasoning) go.
      const entry: Entry = { ...known, reasoning, byWidth: new Map() };
      this.entries.set(message.id, entry);
      return entry;
    }
    this.stats.parses++;
    const entry: Entry = { text: message.text, kind: message.kind, streaming, reasoning, hidden, lines: parse(message), byWidth: new Map() };
    this.entries.set(message.id, entry);
    return entry;
  }

  /** Forget messages that are gone (deleted, or another session loaded). */
  private pruneTo(messages: readonly ChatMessageView[]): void {
    if (this.entries.size <= messages.length) return;
    const live = new Set(messages.map((m) => m.id));
    for (const id of this.entries.keys()) if (!live.has(id)) this.entries.delete(id);
  }
}

/** A row of a message hidden from the narrator: the same text, faint. */
const dimmed = (row: Row): Row => row.map((segment) => ({ text: segment.text, style: { ...segment.style, dim: true } }));

/** Widths are whole columns: one number keys a width and whether reasoning is open. */
function layoutKey(width: number, reasoningExpanded: boolean): number {
  return width * 2 + (reasoningExpanded ? 1 : 0);
}

/** Rows a message takes: the gap above it (none for the first), its label row, its text. */
export function messageHeight(bodyRows: number, position: number): number {
  return (position > 0 ? MESSAGE_GAP : 0) + HEADER_ROWS + bodyRows;
}

function parse(message: ChatMessageView): LogicalLine[] {
  const text = sanitizeText(message.text);
  if (text === '') return [];
  if (message.kind === 'system') return plainLines(text, { role: 'system' });
  if (message.kind === 'error') return plainLines(text, { role: 'error' });
  return markdownLines(message.streaming ? closeOpenMarkdown(text) : text);
}
