/**
 * A small PNG chunk reader/writer: enough to find and write the text chunks character cards
 * live in (`chara`, `ccv3`). Works on bytes the caller passes; no file access here.
 */
import { unzlibSync, zlibSync } from 'fflate';

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export class PngFormatError extends Error {
  override name = 'PngFormatError';
}

export interface PngChunk {
  type: string;
  data: Uint8Array;
  /** Byte offset of the chunk's length field. */
  offset: number;
}

export interface PngText {
  keyword: string;
  text: string;
  chunk: 'tEXt' | 'zTXt' | 'iTXt';
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = (CRC_TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const isPng = (bytes: Uint8Array): boolean => bytes.length >= 8 && PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);

export interface ReadOptions {
  /** Reject chunks whose CRC does not match (off by default: cards from odd tools still load). */
  verifyCrc?: boolean;
}

export function readChunks(bytes: Uint8Array, options: ReadOptions = {}): PngChunk[] {
  if (!isPng(bytes)) throw new PngFormatError('not a PNG: the file does not start with the PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let offset = 8;
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) throw new PngFormatError(`PNG is truncated: a chunk header at byte ${offset} is cut off`);
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (end > bytes.length) throw new PngFormatError(`PNG is truncated: chunk ${type} at byte ${offset} runs past the end`);
    if (options.verifyCrc && view.getUint32(end - 4) !== crc32(bytes, offset + 4, end - 4)) {
      throw new PngFormatError(`PNG chunk ${type} at byte ${offset} has a bad CRC`);
    }
    chunks.push({ type, data: bytes.subarray(offset + 8, offset + 8 + length), offset });
    offset = end;
    if (type === 'IEND') break;
  }
  return chunks;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** The text chunks of a PNG, in file order. Unreadable compressed chunks are skipped. */
export function readTextChunks(bytes: Uint8Array, options: ReadOptions = {}): PngText[] {
  return readChunks(bytes, options).flatMap((chunk) => {
    const text = decodeText(chunk);
    return text ? [text] : [];
  });
}

function decodeText(chunk: PngChunk): PngText | undefined {
  const { data } = chunk;
  const nul = data.indexOf(0);
  if (nul <= 0) return undefined;
  const keyword = latin1.decode(data.subarray(0, nul));
  try {
    if (chunk.type === 'tEXt') return { keyword, text: latin1.decode(data.subarray(nul + 1)), chunk: 'tEXt' };
    if (chunk.type === 'zTXt') return { keyword, text: latin1.decode(unzlibSync(data.subarray(nul + 2))), chunk: 'zTXt' };
    if (chunk.type === 'iTXt') {
      const compressed = data[nul + 1] === 1;
      const languageEnd = data.indexOf(0, nul + 3);
      const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
      if (translatedEnd < 0) return undefined;
      const body = data.subarray(translatedEnd + 1);
      return { keyword, text: utf8.decode(compressed ? unzlibSync(body) : body), chunk: 'iTXt' };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function encodeChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** A tEXt chunk: Latin-1 keyword and text (card payloads are base64, so ASCII). */
export function textChunk(keyword: string, text: string): Uint8Array {
  const data = new Uint8Array(keyword.length + 1 + text.length);
  for (let i = 0; i < keyword.length; i++) data[i] = keyword.charCodeAt(i) & 0xff;
  for (let i = 0; i < text.length; i++) data[keyword.length + 1 + i] = text.charCodeAt(i) & 0xff;
  return encodeChunk('tEXt', data);
}

/** An iTXt chunk (UTF-8 text), optionally zlib-compressed. */
export function iTextChunk(keyword: string, text: string, compress = false): Uint8Array {
  const body = new TextEncoder().encode(text);
  const payload = compress ? zlibSync(body) : body;
  const head = new Uint8Array(keyword.length + 5);
  for (let i = 0; i < keyword.length; i++) head[i] = keyword.charCodeAt(i) & 0xff;
  head[keyword.length + 1] = compress ? 1 : 0;
  return encodeChunk('iTXt', concat([head, payload]));
}

/** A zTXt chunk (zlib-compressed Latin-1 text). */
export function zTextChunk(keyword: string, text: string): Uint8Array {
  const head = new Uint8Array(keyword.length + 2);
  for (let i = 0; i < keyword.length; i++) head[i] = keyword.charCodeAt(i) & 0xff;
  const body = Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);
  return encodeChunk('zTXt', concat([head, zlibSync(body)]));
}

/** Builds a PNG from the signature and the given chunks (IHDR first, IEND last). */
export function encodePng(chunks: ReadonlyArray<{ type: string; data: Uint8Array }>): Uint8Array {
  return concat([PNG_SIGNATURE, ...chunks.map((chunk) => encodeChunk(chunk.type, chunk.data))]);
}

/** Returns a copy of `png` whose text chunks named like `keywords` are replaced by `added`, placed before IEND. */
export function replaceTextChunks(png: Uint8Array, keywords: readonly string[], added: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [PNG_SIGNATURE];
  for (const chunk of readChunks(png)) {
    const raw = png.subarray(chunk.offset, chunk.offset + 12 + chunk.data.length);
    if (chunk.type === 'IEND') parts.push(...added);
    const text = chunk.type === 'tEXt' || chunk.type === 'zTXt' || chunk.type === 'iTXt' ? decodeText(chunk) : undefined;
    if (text && keywords.includes(text.keyword)) continue;
    parts.push(raw);
  }
  return concat(parts);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
