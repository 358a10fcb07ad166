import type { TokenCounter } from '../tokens.ts';

/**
 * Token counts for one turn, in front of the engine's cache: the history is counted by the page
 * read (recent-history.ts) and again by assembly, and short messages, which the engine's cache
 * does not keep, are tokenized once per turn instead of twice. Only for the length of a turn.
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
