/**
 * Turns free user text into an FTS5 MATCH expression that cannot be a syntax error: only runs
 * of Unicode letters, digits and combining marks survive, each quoted, joined with OR. FTS5
 * operators in the text (`"`, `*`, `:`, `-`, `NEAR(`, `AND`, parentheses) are thus never parsed
 * as syntax. BM25 then ranks chunks that match more (and rarer) words higher.
 */

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** More tokens than this add cost but not relevance. */
export const MAX_QUERY_TOKENS = 64;
/** Longer runs are hashes, URLs or garbage, not words anyone searches for. */
const MAX_TOKEN_LENGTH = 64;

/**
 * Words too common to tell chunks apart (English; contractions split into their tails).
 * They also keep a query from touching the huge posting lists of "the" and "and".
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her ' +
    'here hers him his how i if in into is it its itself just me my no nor not of off on once only or other ' +
    'our ours out over own same she should so some such than that the their theirs them then there these ' +
    'they this those through to too under until up very was we were what when where which while who whom why ' +
    'will with would you your yours yourself also am any all both each few more most s t d ll m re ve don ' +
    'about above after again against before below between down during further'
  ).split(' '),
);

/** The distinct search words of `text`, lower-cased, in order of first appearance. */
export function queryTokens(text: string, maxTokens = MAX_QUERY_TOKENS): string[] {
  const tokens = new Set<string>();
  for (const match of text.matchAll(WORD)) {
    const token = match[0].toLowerCase();
    if (token.length > MAX_TOKEN_LENGTH || STOP_WORDS.has(token)) continue;
    tokens.add(token);
    if (tokens.size >= maxTokens) break;
  }
  return [...tokens];
}

// Tokens hold no `"`, so wrapping each in quotes makes it an FTS5 string, never an operator.
const quote = (token: string): string => `"${token}"`;

/** A safe MATCH expression, or `undefined` when the text has nothing to search for. */
export function toFtsQuery(text: string, maxTokens = MAX_QUERY_TOKENS): string | undefined {
  const tokens = queryTokens(text, maxTokens);
  if (tokens.length === 0) return undefined;
  return tokens.map(quote).join(' OR ');
}

export interface SearchBudget {
  /** A word found in more rows than this is too common to rank by, for this index. */
  maxRowsPerToken: number;
  /** The most rows, summed over the chosen words, one search may score. */
  maxRowsTotal: number;
}

export const DEFAULT_SEARCH_BUDGET: SearchBudget = { maxRowsPerToken: 1000, maxRowsTotal: 3000 };

/**
 * Like `toFtsQuery`, but keeps a search's cost bounded on a large index. FTS5's bm25() reads
 * the whole posting list of every query word to weigh it, so a word in 70,000 of 100,000
 * chunks costs tens of milliseconds while adding almost nothing to the ranking. Each word's
 * row count is probed with `countRows(match, cap)` (which must stop after `cap` rows, so a
 * probe is cheap), words absent from the index are dropped, and the rest are taken rarest
 * first while they fit the budget: the corpus's own stop words fall away.
 */
export function planFtsQuery(
  text: string,
  countRows: (match: string, cap: number) => number,
  budget: SearchBudget = DEFAULT_SEARCH_BUDGET,
): string | undefined {
  const probed = queryTokens(text)
    .map((token) => ({ token, rows: countRows(quote(token), budget.maxRowsPerToken + 1) }))
    .filter(({ rows }) => rows > 0 && rows <= budget.maxRowsPerToken)
    .sort((a, b) => a.rows - b.rows);
  const chosen: string[] = [];
  let total = 0;
  for (const { token, rows } of probed) {
    if (total + rows > budget.maxRowsTotal) break;
    total += rows;
    chosen.push(token);
  }
  return chosen.length === 0 ? undefined : chosen.map(quote).join(' OR ');
}

/**
 * Remembers probe results so each turn does not re-count "door" and "said" in a lore index
 * that changes only when a world is synced or lore attached. Call `forget()` after any write
 * to the index. A count gone stale by a write elsewhere (a cascaded delete) only shifts which
 * words are judged too common, never what a chosen word matches.
 */
export function createRowCountCache(
  probe: (match: string, cap: number) => number,
  maxEntries = 10_000,
): { countRows: (match: string, cap: number) => number; forget: () => void } {
  const counts = new Map<string, { rows: number; cap: number }>();
  return {
    countRows(match, cap) {
      const known = counts.get(match);
      // A count below its probe's cap is exact; one at the cap only says "at least this many".
      if (known && (known.rows < known.cap || cap <= known.cap)) return Math.min(known.rows, cap);
      const rows = probe(match, cap);
      if (counts.size >= maxEntries) counts.clear();
      counts.set(match, { rows, cap });
      return rows;
    },
    forget: () => counts.clear(),
  };
}
