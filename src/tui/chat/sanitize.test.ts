import { describe, expect, test } from 'vitest';
import { WrapCache } from './cache.ts';
import { sanitizeText } from './sanitize.ts';

const ESC = '\u001b';

describe('sanitizeText', () => {
  test('removes colour, cursor, clear-screen and title sequences', () => {
    const hostile = `a${ESC}[31mred${ESC}[0m ${ESC}[2J${ESC}[H${ESC}]0;pwned\u0007b ${ESC}]8;;http://x${ESC}\\link${ESC}]8;;${ESC}\\ \u009b31mc`;
    expect(sanitizeText(hostile)).toBe('ared b link c');
  });

  test('removes other control characters but keeps newlines and tabs', () => {
    expect(sanitizeText('a\u0000b\u0007c\td\r\ne\rf\u007fg')).toBe('abc\td\ne\nfg');
  });

  test('leaves ordinary text, wide characters and emoji alone', () => {
    const text = 'Café 日本語 👋🏽 — “quotes” ✓ ✗';
    expect(sanitizeText(text)).toBe(text);
  });

  test('message text is sanitized before it is laid out', () => {
    const rows = new WrapCache().body({ id: 'x', kind: 'narrator', text: `${ESC}[2Jhello ${ESC}[1mthere` }, 40);
    expect(rows.flat().map((s) => s.text).join('')).toBe('hello there');
  });
});
