import { describe, expect, test } from 'vitest';
import { markdownLines } from './markdown.ts';
import { closeOpenMarkdown } from './streaming.ts';

const rendered = (text: string): string => markdownLines(closeOpenMarkdown(text)).map((l) => l.runs.map((r) => r.text).join('')).join('\n');

describe('closeOpenMarkdown', () => {
  test('closes an open bold so the partial word renders bold without markers', () => {
    expect(closeOpenMarkdown('The door **creaks op')).toBe('The door **creaks op**');
    const run = markdownLines(closeOpenMarkdown('The door **creaks op'))[0]?.runs.find((r) => r.text === 'creaks op');
    expect(run?.style.bold).toBe(true);
  });

  test('closes nested emphasis innermost first', () => {
    expect(rendered('**very *much')).toBe('very much');
    expect(rendered('*she **whispers')).toBe('she whispers');
  });

  test('drops a marker that has nothing after it yet', () => {
    expect(closeOpenMarkdown('and then **')).toBe('and then ');
    expect(closeOpenMarkdown('and then *')).toBe('and then ');
    expect(closeOpenMarkdown('say `')).toBe('say ');
  });

  test('closes an open code span and leaves emphasis inside it alone', () => {
    expect(closeOpenMarkdown('run `rm **x')).toBe('run `rm **x`');
  });

  test('leaves balanced text, list bullets, escaped stars and closed paragraphs alone', () => {
    expect(closeOpenMarkdown('**done** and *done*')).toBe('**done** and *done*');
    expect(closeOpenMarkdown('* one\n* two')).toBe('* one\n* two');
    expect(closeOpenMarkdown('5 \\* 3')).toBe('5 \\* 3');
    expect(closeOpenMarkdown('**a\n\nb')).toBe('**a\n\nb');
  });

  test('an open code fence is left for the lexer, which renders it as code to the end', () => {
    expect(closeOpenMarkdown('```\nlet **x')).toBe('```\nlet **x');
    expect(rendered('```\nlet **x')).toBe('let **x');
  });

  test('no raw emphasis marker shows at any point while a reply streams in', () => {
    const reply =
      'The innkeeper *leans closer*. **"You want the north road?"** he asks, `tapping` the map.\n\n' +
      '*She **never** came back*, you know. Not **once**.';
    for (let end = 1; end <= reply.length; end++) {
      const shown = rendered(reply.slice(0, end));
      expect(shown, `after ${end} characters`).not.toMatch(/[*`]/);
    }
  });
});
