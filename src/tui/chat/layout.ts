import { HEADER_ROWS, MESSAGE_GAP, WrapCache, type LineIndex } from './cache.ts';
import type { ChatMessageView, MessageKind, Role, Row } from './types.ts';
import { displayWidth } from './width.ts';

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
export const NEW_TEXT_INDICATOR = '↓ new text below';
/** After the label of a message hidden from the narrator (`/hide`); its text is dimmed too. */
export const HIDDEN_MARKER = ' · hidden';

const GAP_ROWS: readonly Row[] = Object.freeze(Array.from({ length: MESSAGE_GAP }, (): Row => []));

const LABELS: Record<MessageKind, { text: string; role: Role }> = {
  user: { text: 'YOU', role: 'label-user' },
  narrator: { text: 'NARRATOR', role: 'label-narrator' },
  system: { text: 'SYSTEM', role: 'label-system' },
  error: { text: 'ERROR', role: 'label-error' },
};

/**
 * Rows the whole transcript takes at this width (label rows and gaps included). This measures
 * every message; pass the cache the view uses so it happens once per width, not per call.
 * To clamp a scroll offset, `clampScrollFor` measures only as far up as the offset reaches.
 */
export function totalLines(messages: readonly ChatMessageView[], width: number, cache: WrapCache = new WrapCache(), reasoningExpanded = false): number {
  return cache.index(messages, usableWidth(width), Number.POSITIVE_INFINITY, reasoningExpanded).rows;
}

/**
 * `offset` limited to the top of the transcript for a view `height` rows tall, measuring
 * messages only as far up as the offset reaches (Home on a 5,000-message session measures
 * all of them once; a PgUp measures a page).
 */
export function clampScrollFor(
  messages: readonly ChatMessageView[],
  width: number,
  height: number,
  offset: number,
  cache: WrapCache,
  reasoningExpanded = false,
): number {
  const wanted = Math.max(0, Math.floor(offset)) + Math.max(0, height);
  const index = cache.index(messages, usableWidth(width), wanted + 1, reasoningExpanded);
  return index.complete ? clampScrollOffset(offset, index.rows, height) : clampScrollOffset(offset, Number.POSITIVE_INFINITY, 0);
}

/** The largest scroll offset that still shows a full window: the top of the transcript. */
export function maxScrollOffset(total: number, viewRows: number): number {
  return Math.max(0, total - Math.max(0, viewRows));
}

export function clampScrollOffset(offset: number, total: number, viewRows: number): number {
  if (!Number.isFinite(offset) || offset <= 0) return 0;
  return Math.min(Math.floor(offset), maxScrollOffset(total, viewRows));
}

/**
 * New offset after the transcript grew from `before` to `after` rows: a player reading
 * history keeps the same text in view; a player at the bottom keeps following.
 */
export function keepScrollAnchor(offset: number, before: number, after: number): number {
  return offset > 0 ? Math.max(0, offset + after - before) : 0;
}

/** Position of the message whose rows include `row`, counted from the top of message `index.first`. */
export function messageAtRow(index: LineIndex, row: number): number {
  let low = 0;
  let high = index.starts.length - 2;
  if (high < 0) return index.first;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((index.starts[mid] as number) <= row) low = mid;
    else high = mid - 1;
  }
  return index.first + low;
}

export interface WindowRequest {
  width: number;
  height: number;
  /** Lines up from the bottom; 0 = follow the newest. */
  scrollOffset: number;
  streaming: boolean;
  spinnerFrame?: number;
  numbered?: boolean;
  /** Whether text arrived below what a scrolled-up player sees (the view decides; see ChatView). */
  newTextBelow: boolean;
  /** Show reasoning in full instead of one summary row per reply. */
  reasoningExpanded?: boolean;
}

export interface ChatWindow {
  rows: Row[];
  /** Transcript rows below the window (the clamped offset); keys rows stably while scrolling. */
  rowsBelow: number;
  /** The offset actually used, after clamping to the top of the transcript. */
  scrollOffset: number;
  indicator: boolean;
}

/**
 * The rows to show: at most `height`, ending `scrollOffset` rows above the bottom. Only the
 * messages in the window are turned into rows; the line index finds the first of them.
 */
export function chatWindow(messages: readonly ChatMessageView[], cache: WrapCache, request: WindowRequest): ChatWindow {
  const width = usableWidth(request.width);
  const full = Math.max(0, Math.floor(request.height));
  const pending = pendingRows(messages, request, width, full);
  const window = historyWindow(messages, cache, request, width, full - pending.length);
  return pending.length > 0 ? { ...window, rows: [...window.rows, ...pending] } : window;
}

/**
 * A reply asked for and no word of it yet (the model is slow to start, or retrying): a NARRATOR
 * label with the spinner where the reply will appear, so the wait shows in the transcript too.
 * Only at the bottom, where the reply will be; not counted in the transcript's rows.
 */
function pendingRows(messages: readonly ChatMessageView[], request: WindowRequest, width: number, height: number): Row[] {
  const last = messages[messages.length - 1];
  const replyShown = last?.kind === 'narrator' && last.streaming === true;
  if (!request.streaming || replyShown || Math.floor(request.scrollOffset) > 0) return [];
  const rows = [...(messages.length > 0 ? GAP_ROWS : []), headerRow(PENDING_REPLY, messages.length, request, true, width)];
  return rows.length < height ? rows : [];
}

const PENDING_REPLY: ChatMessageView = { id: 'pending', kind: 'narrator', text: '', streaming: true };

function historyWindow(messages: readonly ChatMessageView[], cache: WrapCache, request: WindowRequest, width: number, height: number): ChatWindow {
  const wantsIndicator = request.newTextBelow && request.scrollOffset > 0 && height > 1;
  const requested = Math.max(0, Math.floor(request.scrollOffset) || 0);
  // One row beyond the window, so "is there anything above?" is known without measuring it all.
  const expanded = request.reasoningExpanded === true;
  const index = cache.index(messages, width, requested + height + 1, expanded);
  const clamp = (viewRows: number): number =>
    clampScrollOffset(requested, index.complete ? index.rows : Number.POSITIVE_INFINITY, index.complete ? viewRows : 0);
  let viewRows = wantsIndicator ? height - 1 : height;
  let offset = clamp(viewRows);
  const indicator = wantsIndicator && offset > 0;
  if (!indicator) {
    viewRows = height;
    offset = clamp(viewRows);
  }
  const end = index.rows - offset;
  const firstRow = Math.max(0, end - viewRows);
  const rows: Row[] = [];
  const last = messages.length - 1;
  const startOf = (i: number): number => index.starts[i - index.first] as number;
  for (let i = messageAtRow(index, firstRow); i <= last && startOf(i) < end; i++) {
    const message = messages[i] as ChatMessageView;
    const messageRows = [
      ...(i > 0 ? GAP_ROWS : []),
      ...(HEADER_ROWS > 0 ? [headerRow(message, i, request, i === last, width)] : []),
      ...cache.body(message, width, expanded),
    ];
    const start = startOf(i);
    rows.push(...messageRows.slice(Math.max(0, firstRow - start), end - start));
  }
  if (indicator) rows.push(fitRow([{ text: NEW_TEXT_INDICATOR, style: { bold: true, role: 'indicator' } }], width));
  return { rows, rowsBelow: offset, scrollOffset: offset, indicator };
}

/** `#12 NARRATOR ⠹ < 2/3 > · hidden`: number, label, spinner while streaming, which alternative is shown, hidden from the narrator. */
export function headerRow(
  message: ChatMessageView,
  _position: number,
  options: { numbered?: boolean; streaming: boolean; spinnerFrame?: number },
  isLast: boolean,
  width: number,
): Row {
  const label = LABELS[message.kind];
  const row: Row = [];
  // Only the engine's numbers (what `/edit N` takes); local notices and older engines show none.
  if (options.numbered && message.n !== undefined) row.push({ text: `#${message.n} `, style: { role: 'muted' } });
  row.push({ text: label.text, style: { bold: true, role: label.role } });
  const streaming = message.streaming === true || (options.streaming && isLast && message.kind === 'narrator');
  if (streaming && message.kind === 'narrator') {
    const frame = SPINNER_FRAMES[Math.abs(Math.floor(options.spinnerFrame ?? 0)) % SPINNER_FRAMES.length];
    row.push({ text: ` ${frame}`, style: { role: 'spinner' } });
  }
  if (message.swipe && message.swipe.count > 1) {
    row.push({ text: ` < ${message.swipe.index + 1}/${message.swipe.count} >`, style: { role: 'muted' } });
  }
  if (message.hidden) row.push({ text: HIDDEN_MARKER, style: { role: 'muted' } });
  return fitRow(row, width);
}

/** Cut a short row that may not fit a very narrow pane (labels and markers are not wrapped). */
function fitRow(row: Row, width: number): Row {
  const fitted: Row = [];
  let room = width;
  for (const segment of row) {
    const w = displayWidth(segment.text);
    if (w <= room) {
      fitted.push(segment);
      room -= w;
      continue;
    }
    let text = '';
    for (const char of segment.text) {
      const cw = displayWidth(char);
      if (cw > room) break;
      text += char;
      room -= cw;
    }
    if (text !== '') fitted.push({ text, style: segment.style });
    break;
  }
  return fitted;
}

function usableWidth(width: number): number {
  return Math.max(1, Math.floor(width));
}
