const TITLE_CHARS = 60;

/** A session title from the first user message: one line, 60 characters, then `…`. */
export function titleFrom(message: string): string {
  const chars = Array.from(message.replace(/\s+/g, ' ').trim());
  return chars.length > TITLE_CHARS ? `${chars.slice(0, TITLE_CHARS).join('')}…` : chars.join('');
}
