import { describe, expect, it } from 'vitest';
import { base64Json, onePixelPng } from '../../../test/fixtures/formats/build-png.ts';
import { crc32, iTextChunk, PngFormatError, readChunks, readTextChunks, replaceTextChunks, textChunk, zTextChunk } from './png.ts';

describe('PNG chunks', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('walks a real PNG and verifies CRCs', () => {
    const png = onePixelPng([textChunk('Comment', 'hello')]);
    expect(readChunks(png, { verifyCrc: true }).map((c) => c.type)).toEqual(['IHDR', 'tEXt', 'IDAT', 'IEND']);
  });

  it('reads tEXt, zTXt and iTXt (plain and compressed)', () => {
    const png = onePixelPng([textChunk('a', 'latin'), zTextChunk('b', 'zipped text'), iTextChunk('c', 'ünïcødé ✓'), iTextChunk('d', 'squeezed ✓', true)]);
    expect(readTextChunks(png)).toEqual([
      { keyword: 'a', text: 'latin', chunk: 'tEXt' },
      { keyword: 'b', text: 'zipped text', chunk: 'zTXt' },
      { keyword: 'c', text: 'ünïcødé ✓', chunk: 'iTXt' },
      { keyword: 'd', text: 'squeezed ✓', chunk: 'iTXt' },
    ]);
  });

  it('rejects non-PNG, truncated and (when asked) corrupted files', () => {
    expect(() => readChunks(new TextEncoder().encode('GIF89a...'))).toThrow('not a PNG');
    const png = onePixelPng([textChunk('chara', base64Json({ name: 'x' }))]);
    expect(() => readChunks(png.subarray(0, png.length - 20))).toThrow(PngFormatError);
    expect(() => readChunks(png.subarray(0, png.length - 20))).toThrow('PNG is truncated');
    const corrupt = png.slice();
    corrupt[45] = (corrupt[45] ?? 0) ^ 0xff; // inside the tEXt data
    expect(() => readChunks(corrupt, { verifyCrc: true })).toThrow('bad CRC');
    expect(() => readChunks(corrupt)).not.toThrow();
  });

  it('replaces text chunks by keyword, keeping the image valid', () => {
    const png = onePixelPng([textChunk('chara', 'old'), textChunk('Comment', 'keep')]);
    const replaced = replaceTextChunks(png, ['chara'], [textChunk('chara', 'new')]);
    expect(readTextChunks(replaced, { verifyCrc: true }).map((t) => [t.keyword, t.text])).toEqual([
      ['Comment', 'keep'],
      ['chara', 'new'],
    ]);
    expect(readChunks(replaced).at(-1)?.type).toBe('IEND');
  });
});
