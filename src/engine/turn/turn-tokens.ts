import type { TokenCounter } from '../tokens.ts';

/**
 * Token counts for one turn, in front of the engine's cache: the history is counted by the page
 * read (recent-history.ts) and again by assembly, and a plain lookup here is cheaper than the
 * cache's (which also marks the text most recently used). Only for the length of a turn.
 */
export function turnTokens(inner: TokenCounter): TokenCounter {
  const counted = new Map<string, number>();
  return {
    count(text) {
      let tokens = counted.get(text);
      if (tokens === undefined) {
        tokens = inner.count(text);
        counted.set(text, tokens);
      }
      return tokens;
    },
  };
}
