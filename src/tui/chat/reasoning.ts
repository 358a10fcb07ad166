import { keyLabel } from '../input/keybindings.ts';
import { plainLines } from './markdown.ts';
import { sanitizeText } from './sanitize.ts';
import type { ChatMessageView, LogicalLine, Row, Segment } from './types.ts';
import { wrapLine } from './wrap.ts';

/** The key that shows or hides reasoning, as the keybinding table (and so the help) names it. */
export const REASONING_KEY_LABEL = keyLabel('toggleReasoning');

const STYLE = { italic: true, role: 'reasoning' } as const;
const BAR: Segment = { text: '┆ ', style: { role: 'reasoning' } };

/** Still thinking: the reply streams and no narration has come yet. */
export function isThinking(message: ChatMessageView): boolean {
  return message.streaming === true && message.text === '';
}

/** `▸ thinking… 1,234 chars · Ctrl+T shows`: what the collapsed block (or the open one's top) says. */
export function reasoningSummary(message: ChatMessageView, expanded: boolean): string {
  const size = `${(message.reasoning ?? '').length.toLocaleString('en-US')} chars`;
  const what = isThinking(message) ? `thinking… ${size}` : `thought · ${size}`;
  return `${expanded ? '▾' : '▸'} ${what} · ${REASONING_KEY_LABEL} ${expanded ? 'hides' : 'shows'}`;
}

/**
 * The rows a message's reasoning takes above its text: none without reasoning; one summary row
 * when collapsed; the summary, the reasoning behind a dotted bar and a blank row when expanded.
 */
export function reasoningRows(message: ChatMessageView, width: number, expanded: boolean): Row[] {
  const reasoning = sanitizeText(message.reasoning ?? '');
  if (reasoning.trim() === '') return [];
  const summary: LogicalLine = { kind: 'text', prefix: [], hang: [], runs: [{ text: reasoningSummary(message, expanded), style: STYLE }] };
  // The summary is one row however narrow the pane: its tail is the least useful part.
  const head = wrapLine(summary, width).slice(0, 1);
  if (!expanded) return head;
  const body = plainLines(reasoning.replace(/^\n+|\s+$/g, ''), STYLE).map((line) => ({ ...line, prefix: [BAR], hang: [BAR] }));
  const rows = [...head, ...body.flatMap((line) => wrapLine(line, width))];
  return message.text === '' ? rows : [...rows, []];
}
