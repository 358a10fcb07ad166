import { Lexer, type Token, type Tokens } from 'marked';
import type { LogicalLine, Segment, Style } from './types.ts';

const PLAIN: Style = {};
const QUOTE_BAR: Segment = { text: '│ ', style: { role: 'quote' } };
const CODE_INDENT: Segment = { text: '  ', style: PLAIN };

/**
 * Markdown to unwrapped lines. Single newlines are kept as line breaks (`breaks`), because
 * narrators write verse, letters and dialogue line by line and expect to see it that way.
 */
export function markdownLines(text: string): LogicalLine[] {
  const tokens = new Lexer({ gfm: true, breaks: true }).lex(text);
  return blockLines(tokens, [], [], false);
}

/** Text shown as written, one logical line per source line, all in one style. */
export function plainLines(text: string, style: Style): LogicalLine[] {
  return text.split('\n').map((line) => textLine([], [], [{ text: line, style }]));
}

function textLine(prefix: Segment[], hang: Segment[], runs: Segment[]): LogicalLine {
  return { kind: 'text', prefix, hang, runs };
}

/**
 * Lines of a sequence of blocks. The very first line starts with `first`; every later line
 * (and every wrapped continuation) with `rest`. `tight` drops the blank line between blocks,
 * as inside the items of a tight list.
 */
function blockLines(tokens: Token[], first: Segment[], rest: Segment[], tight: boolean): LogicalLine[] {
  const lines: LogicalLine[] = [];
  for (const token of tokens) {
    const blockFirst = lines.length === 0 ? first : rest;
    const block = oneBlock(token, blockFirst, rest);
    if (block.length === 0) continue;
    if (lines.length > 0 && !tight) lines.push(textLine(trimPrefix(rest), rest, []));
    lines.push(...block);
  }
  return lines;
}

function oneBlock(token: Token, first: Segment[], rest: Segment[]): LogicalLine[] {
  switch (token.type) {
    case 'space':
    case 'def':
      return [];
    case 'paragraph':
    case 'text':
      return inlineBlock(token as Tokens.Paragraph | Tokens.Text, first, rest, PLAIN);
    case 'heading': {
      const heading = token as Tokens.Heading;
      const style: Style = { bold: true, underline: heading.depth === 1, italic: heading.depth >= 3, role: 'heading' };
      return inlineBlock(heading, first, rest, style);
    }
    case 'code':
      return codeBlock(token as Tokens.Code, first, rest);
    case 'blockquote': {
      const quote = token as Tokens.Blockquote;
      return blockLines(quote.tokens, [...first, QUOTE_BAR], [...rest, QUOTE_BAR], false);
    }
    case 'list':
      return listBlock(token as Tokens.List, first, rest);
    case 'hr':
      return [{ kind: 'rule', prefix: first, hang: rest, runs: [] }];
    case 'table':
      return tableBlock(token as Tokens.Table, first, rest);
    default:
      // html, and anything a later marked adds: show the source rather than lose it.
      return rawLines(token.raw.replace(/\n+$/, ''), first, rest);
  }
}

function rawLines(text: string, first: Segment[], rest: Segment[]): LogicalLine[] {
  return text.split('\n').map((line, i) => textLine(i === 0 ? first : rest, rest, [{ text: line, style: PLAIN }]));
}

function inlineBlock(
  token: { text: string; tokens?: Token[] },
  first: Segment[],
  rest: Segment[],
  style: Style,
): LogicalLine[] {
  const rows = token.tokens ? inlineRows(token.tokens, style) : splitRows([{ text: token.text, style }]);
  return rows.map((runs, i) => textLine(i === 0 ? first : rest, rest, runs));
}

function codeBlock(token: Tokens.Code, first: Segment[], rest: Segment[]): LogicalLine[] {
  const style: Style = { role: 'code' };
  return token.text
    .split('\n')
    .map((line, i) => textLine([...(i === 0 ? first : rest), CODE_INDENT], [...rest, CODE_INDENT], [{ text: line, style }]));
}

function listBlock(list: Tokens.List, first: Segment[], rest: Segment[]): LogicalLine[] {
  const start = typeof list.start === 'number' ? list.start : 1;
  const markers = list.items.map((item, i) => {
    const bullet = list.ordered ? `${start + i}.` : '•';
    const task = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
    return `${bullet} ${task}`;
  });
  const markerWidth = Math.max(...markers.map((m) => m.length));
  const lines: LogicalLine[] = [];
  list.items.forEach((item, i) => {
    const marker: Segment = { text: (markers[i] ?? '').padEnd(markerWidth), style: { role: 'bullet' } };
    const indent: Segment = { text: ' '.repeat(markerWidth), style: PLAIN };
    const itemFirst = [...(lines.length === 0 ? first : rest), marker];
    if (list.loose && lines.length > 0) lines.push(textLine(trimPrefix(rest), rest, []));
    // marked keeps the task box as a checkbox token in front of the text; the marker shows it.
    const tokens = item.tokens.filter((t) => t.type !== 'checkbox');
    const body = blockLines(tokens, itemFirst, [...rest, indent], !item.loose);
    lines.push(...(body.length > 0 ? body : [textLine(itemFirst, [...rest, indent], [])]));
  });
  return lines;
}

function tableBlock(table: Tokens.Table, first: Segment[], rest: Segment[]): LogicalLine[] {
  const separator: Segment = { text: ' │ ', style: { role: 'muted' } };
  const rowRuns = (cells: Tokens.TableCell[], style: Style): Segment[] =>
    cells.flatMap((cell, i) => [...(i > 0 ? [separator] : []), ...inlineRows(cell.tokens, style).flat()]);
  const header = textLine(first, rest, rowRuns(table.header, { bold: true }));
  return [header, ...table.rows.map((cells) => textLine(rest, rest, rowRuns(cells, PLAIN)))];
}

/** Inline tokens to rows of styled runs, split at hard breaks and newlines. */
function inlineRows(tokens: Token[], style: Style): Segment[][] {
  return splitRows(inlineRuns(tokens, style));
}

function inlineRuns(tokens: Token[], style: Style): Segment[] {
  const runs: Segment[] = [];
  for (const token of tokens) runs.push(...inlineToken(token, style));
  return runs;
}

function inlineToken(token: Token, style: Style): Segment[] {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inlineRuns(text.tokens, style) : [{ text: text.text, style }];
    }
    case 'strong':
      return inlineRuns((token as Tokens.Strong).tokens, { ...style, bold: true });
    case 'em':
      return inlineRuns((token as Tokens.Em).tokens, { ...style, italic: true });
    case 'del':
      return inlineRuns((token as Tokens.Del).tokens, { ...style, strike: true });
    case 'codespan':
      return [{ text: (token as Tokens.Codespan).text, style: { ...style, role: 'code' } }];
    case 'br':
      return [{ text: '\n', style }];
    case 'escape':
      return [{ text: (token as Tokens.Escape).text, style }];
    case 'link':
      return linkRuns(token as Tokens.Link, style);
    case 'image': {
      const image = token as Tokens.Image;
      return [
        { text: `[image: ${image.text || 'untitled'}]`, style: { ...style, role: 'link' } },
        { text: ` (${image.href})`, style: { role: 'url' } },
      ];
    }
    default:
      return [{ text: token.raw, style }];
  }
}

/** The link text, then the address in brackets unless the text already is the address. */
function linkRuns(link: Tokens.Link, style: Style): Segment[] {
  const label = inlineRuns(link.tokens, { ...style, underline: true, role: 'link' });
  const shown = label.map((s) => s.text).join('');
  const address = link.href.replace(/^mailto:/, '');
  if (shown === link.href || shown === address) return label;
  return [...label, { text: ` (${link.href})`, style: { role: 'url' } }];
}

function splitRows(runs: Segment[]): Segment[][] {
  const rows: Segment[][] = [[]];
  for (const run of runs) {
    const parts = run.text.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) rows.push([]);
      if (part !== '') rows[rows.length - 1]?.push({ text: part, style: run.style });
    });
  }
  return rows;
}

/** A blank line keeps its quote bars but not the padding after them. */
function trimPrefix(prefix: Segment[]): Segment[] {
  const trimmed = [...prefix];
  while (trimmed.length > 0) {
    const last = trimmed[trimmed.length - 1] as Segment;
    const text = last.text.trimEnd();
    if (text !== '') {
      trimmed[trimmed.length - 1] = { text, style: last.style };
      return trimmed;
    }
    trimmed.pop();
  }
  return trimmed;
}
