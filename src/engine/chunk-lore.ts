/** Lore is cut into chunks of about this many characters, at line boundaries where possible. */
export const LORE_CHUNK_CHARS = 800;

/**
 * Cuts lore text into retrieval chunks: whole lines packed up to `size` characters; a single
 * line longer than that is split at whitespace (or hard, for a word longer than `size`).
 */
export function chunkLore(text: string, size = LORE_CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    const trimmed = current.trim();
    if (trimmed !== '') chunks.push(trimmed);
    current = '';
  };
  for (const line of text.split(/\r?\n/)) {
    for (const piece of splitLongLine(line, size)) {
      const joined = current === '' ? piece : `${current}\n${piece}`;
      if (joined.length <= size) {
        current = joined;
        continue;
      }
      flush();
      current = piece;
    }
  }
  flush();
  return chunks;
}

function splitLongLine(line: string, size: number): string[] {
  if (line.length <= size) return [line];
  const pieces: string[] = [];
  let current = '';
  for (const word of line.split(/\s+/).filter((w) => w !== '')) {
    for (const part of splitWord(word, size)) {
      const joined = current === '' ? part : `${current} ${part}`;
      if (joined.length <= size) {
        current = joined;
        continue;
      }
      pieces.push(current);
      current = part;
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

function splitWord(word: string, size: number): string[] {
  const parts: string[] = [];
  for (let at = 0; at < word.length; at += size) parts.push(word.slice(at, at + size));
  return parts;
}
