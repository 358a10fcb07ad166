import { describe, expect, test } from 'vitest';
import { markdownLines, plainLines } from './markdown.ts';
import type { LogicalLine, Segment } from './types.ts';

const text = (line: LogicalLine | undefined): string => (line ? [...line.prefix, ...line.runs].map((s) => s.text).join('') : '');
const allText = (lines: LogicalLine[]): string[] => lines.map(text);
const find = (lines: LogicalLine[], needle: string): Segment => {
  const found = lines.flatMap((l) => l.runs).find((s) => s.text.includes(needle));
  if (!found) throw new Error(`no run contains ${needle}`);
  return found;
};

describe('markdownLines', () => {
  test('bold, italics, strike and inline code lose their markers and keep their style', () => {
    const lines = markdownLines('A **bold** move, *quietly*, ~~gone~~ and `code()` here');
    expect(allText(lines)).toEqual(['A bold move, quietly, gone and code() here']);
    expect(find(lines, 'bold').style.bold).toBe(true);
    expect(find(lines, 'quietly').style.italic).toBe(true);
    expect(find(lines, 'gone').style.strike).toBe(true);
    expect(find(lines, 'code()').style.role).toBe('code');
    expect(find(lines, 'A ').style).toEqual({});
  });

  test('nested emphasis combines styles', () => {
    const run = find(markdownLines('**very *much* so**'), 'much');
    expect(run.style).toMatchObject({ bold: true, italic: true });
  });

  test('single newlines stay line breaks; blank lines separate paragraphs', () => {
    expect(allText(markdownLines('one\ntwo\n\nthree'))).toEqual(['one', 'two', '', 'three']);
  });

  test('headings are bold without hashes', () => {
    const lines = markdownLines('# Chapter One\n\n### Aside');
    expect(allText(lines)).toEqual(['Chapter One', '', 'Aside']);
    expect(find(lines, 'Chapter').style).toMatchObject({ bold: true, underline: true, role: 'heading' });
    expect(find(lines, 'Aside').style).toMatchObject({ bold: true, role: 'heading' });
  });

  test('bullet and numbered lists get markers and a hanging indent; nesting indents further', () => {
    const lines = markdownLines('- apples\n- pears\n  1. green\n  2. red\n\n3. three\n4. four');
    expect(allText(lines)).toEqual(['• apples', '• pears', '  1. green', '  2. red', '', '3. three', '4. four']);
    const green = lines[2] as LogicalLine;
    expect(green.hang.map((s) => s.text).join('')).toBe('     ');
    expect(lines[0]?.prefix[0]?.style.role).toBe('bullet');
  });

  test('task list items show their box', () => {
    expect(allText(markdownLines('- [x] done\n- [ ] todo'))).toEqual(['• [x] done', '• [ ] todo']);
  });

  test('block quotes carry a bar on every line, including wrapped ones', () => {
    const lines = markdownLines('> She said:\n> *run*\n>\n> > deeper');
    expect(allText(lines)).toEqual(['│ She said:', '│ run', '│', '│ │ deeper']);
    expect(lines[0]?.hang.map((s) => s.text).join('')).toBe('│ ');
  });

  test('code blocks keep their text and indentation verbatim, indented and styled', () => {
    const lines = markdownLines('```js\nif (x) {\n  go(**not bold**);\n}\n```');
    expect(allText(lines)).toEqual(['  if (x) {', '    go(**not bold**);', '  }']);
    expect(lines[1]?.runs[0]?.style.role).toBe('code');
  });

  test('links show their text and their address; bare addresses once', () => {
    const lines = markdownLines('See [the map](https://example.com/map) or <https://example.com>');
    expect(allText(lines)).toEqual(['See the map (https://example.com/map) or https://example.com']);
    expect(find(lines, 'the map').style).toMatchObject({ underline: true, role: 'link' });
    expect(find(lines, '(https://example.com/map)').style.role).toBe('url');
  });

  test('horizontal rules become rule lines', () => {
    const lines = markdownLines('above\n\n---\n\nbelow');
    expect(lines.map((l) => l.kind)).toEqual(['text', 'text', 'rule', 'text', 'text']);
  });

  test('escapes, entities and angle brackets come through as typed', () => {
    expect(allText(markdownLines('a \\*literal\\* & b < c > d'))).toEqual(['a *literal* & b < c > d']);
  });

  test('tables become rows of cells', () => {
    expect(allText(markdownLines('| a | b |\n|---|---|\n| 1 | 2 |'))).toEqual(['a │ b', '1 │ 2']);
  });

  test('raw html is shown, not dropped', () => {
    expect(allText(markdownLines('<div>hi</div>'))).toEqual(['<div>hi</div>']);
  });
});

describe('plainLines', () => {
  test('keeps markers and splits on newlines', () => {
    const lines = plainLines('✗ bad **id**\nvalid: a_b', { role: 'error' });
    expect(allText(lines)).toEqual(['✗ bad **id**', 'valid: a_b']);
    expect(lines[0]?.runs[0]?.style.role).toBe('error');
  });
});
