/**
 * Turns free user text into an FTS5 MATCH expression that cannot be a syntax error: only runs
 * of Unicode letters, digits and combining marks survive, each quoted, joined with OR. FTS5
 * operators in the text (`"`, `*`, `:`, `-`, `NEAR(`, `AND`, parentheses) are thus never parsed
 * as syntax. BM25 then ranks chunks that match more (and rarer) words higher.
 */
import { STOP_WORDS } from '../engine/retrieval/stop-words.ts';
import type { TermReader } from './index-terms.ts';

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** More tokens than this add cost but not relevance. */
export const MAX_QUERY_TOKENS = 64;
/** Longer runs are hashes, URLs or garbage, not words anyone searches for. */
const MAX_TOKEN_LENGTH = 64;

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

/** Words' row counts, remembered between searches. */
export interface RowCountCache {
  /** The probe's answer for `match`, remembered. */
  countRows(match: string, cap: number): number;
  /** Forget every count: rows were deleted or changed. */
  forget(): void;
  /** Rows with these texts were added: forget the counts of the words they contain. */
  added(texts: readonly string[]): void;
}

/**
 * Remembers probe results so each turn does not re-count "door" and "said" in an index that
 * changes far less often than it is searched. Call `forget()` after a delete or update and
 * `added()` after an insert. With `termsOf` (the index's own terms of a text, see
 * index-terms.ts) an insert keeps every count exact without probing again: a one-term word
 * matches exactly the rows holding its term, so its count grows by the new rows that hold it;
 * a count at its cap only ever meant "at least", which an insert cannot undo; other words (a
 * token the tokenizer splits, or drops) are forgotten when the new rows share a term with them.
 * The terms of remembered words are read at the next insert, in the same call as the new
 * rows', so a search never waits for them. Without `termsOf` an insert forgets everything.
 * A count gone stale by a write elsewhere (a cascaded delete) only shifts which words are
 * judged too common, never what a chosen word matches.
 */
export function createRowCountCache(
  probe: (match: string, cap: number) => number,
  options: { termsOf?: TermReader | undefined; maxEntries?: number } = {},
): RowCountCache {
  const { termsOf, maxEntries = 10_000 } = options;
  const counts = new Map<string, { rows: number; cap: number }>();
  /** Remembered words whose terms are not read yet. */
  const unread = new Set<string>();
  /** The remembered words holding each term. */
  const byTerm = new Map<string, Set<string>>();
  /** Remembered words made of exactly one term: an insert only adds to their counts. */
  const oneTerm = new Set<string>();
  /** Remembered words the tokenizer makes no term of: any insert forgets them. */
  const termless = new Set<string>();
  const forget = () => {
    counts.clear();
    unread.clear();
    byTerm.clear();
    oneTerm.clear();
    termless.clear();
  };
  const remember = (match: string, terms: ReadonlySet<string>) => {
    if (terms.size === 0) termless.add(match);
    if (terms.size === 1) oneTerm.add(match);
    for (const term of terms) {
      const words = byTerm.get(term) ?? new Set<string>();
      words.add(match);
      byTerm.set(term, words);
    }
  };
  /** A new row holds `term`. */
  const count = (term: string) => {
    for (const match of byTerm.get(term) ?? []) {
      const known = counts.get(match);
      if (!known || known.rows >= known.cap) continue;
      if (oneTerm.has(match)) known.rows++;
      else counts.delete(match);
    }
  };
  return {
    countRows(match, cap) {
      const known = counts.get(match);
      // A count below its probe's cap is exact; one at the cap only says "at least this many".
      if (known && (known.rows < known.cap || cap <= known.cap)) return Math.min(known.rows, cap);
      const rows = probe(match, cap);
      if (counts.size >= maxEntries) forget();
      if (!counts.has(match)) unread.add(match);
      counts.set(match, { rows, cap });
      return rows;
    },
    forget,
    added(texts) {
      if (!termsOf) return forget();
      const pending = [...unread].filter((match) => counts.has(match));
      unread.clear();
      const terms = termsOf([...texts, ...pending]);
      pending.forEach((match, at) => remember(match, terms[texts.length + at] ?? new Set()));
      for (const match of termless) counts.delete(match);
      termless.clear();
      for (const own of terms.slice(0, texts.length)) for (const term of own) count(term);
    },
  };
}
