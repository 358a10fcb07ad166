/**
 * Keyword lore entry activation with SillyTavern World Info semantics (checkWorldInfo), so a
 * lorebook written for it fires the same here. Pure: the caller passes the recent messages.
 *
 * Same as SillyTavern: scanned text is the newest `scanDepth` messages plus the text of entries
 * activated so far; regex keys ignore case/whole-word settings; a phrase key with whole words is
 * a substring match; secondary keys count only when present (and `extra.selective` is not false);
 * excludeRecursion / preventRecursion / delayUntilRecursion from `extra` are honoured.
 *
 * Differences on purpose: recursion is per entry (`recursive`) and bounded by `maxRecursionDepth`
 * steps after the first scan; `scanDepth: 0` means "recursion only" (SillyTavern's docs) rather
 * than "never"; probability, inclusion groups, timed effects (sticky, cooldown, delay) and token
 * budgets are not decided here (budgets belong to prompt assembly).
 */
import type { LoreEntry, SelectiveLogic } from '../content.ts';
import { splitDecorators } from './decorators.ts';
import { matchesKey, parseKey, type MatchOptions, type ParsedKey } from './keys.ts';

export const DEFAULT_MAX_RECURSION_DEPTH = 3;

export interface ActivationInput {
  entries: readonly LoreEntry[];
  /** Oldest first, newest last. */
  recentMessages: readonly string[];
  /** How many times activated entries' text is scanned again; 0 turns recursion off. */
  maxRecursionDepth?: number;
  /** Applied to every key before matching (SillyTavern expands `{{char}}` etc. in keys). */
  expandKey?: (key: string) => string;
}

export interface ActivationTrigger {
  /** The primary key that matched; empty for constant entries. */
  key: string;
  source: 'message' | 'recursion' | 'constant' | 'decorator';
  /** `message`: how far back the newest matching message is (1 = the newest). `recursion`: the recursion step. */
  depth?: number;
}

export interface ActivatedEntry {
  entry: LoreEntry;
  trigger: ActivationTrigger;
  /** The text for the prompt: the entry's content without decorator lines (`@@depth 2`…). */
  content: string;
}

export type SkipReason = 'disabled' | 'no_keys' | 'secondary_keys' | 'delayed_until_recursion' | 'decorator';

export interface SkippedEntry {
  entry: LoreEntry;
  reason: SkipReason;
  detail: string;
}

export interface KeyProblem {
  entryId: string;
  key: string;
  problem: string;
}

export interface ActivationResult {
  /** Higher `order` first; ties keep the entries' given order. */
  activated: ActivatedEntry[];
  /** Entries that could not fire and why (plain "no key matched" is not listed). */
  skipped: SkippedEntry[];
  /** Keys written as `/regex/` that do not compile: treated as no match. */
  problems: KeyProblem[];
}

const MATCHER = '\x01';
const JOINER = `\n${MATCHER}`;

interface Candidate {
  entry: LoreEntry;
  index: number;
  content: string;
  decorators: string[];
  primary: Array<{ raw: string; parsed: ParsedKey }>;
  secondary: ParsedKey[];
  options: MatchOptions;
  /** Recursion step from which the entry may fire (SillyTavern's delayUntilRecursion). */
  minStep: number;
  excludeRecursion: boolean;
  feedsRecursion: boolean;
  usesSecondary: boolean;
}

export function activateEntries(input: ActivationInput): ActivationResult {
  const maxDepth = Math.max(0, Math.floor(input.maxRecursionDepth ?? DEFAULT_MAX_RECURSION_DEPTH));
  const expand = input.expandKey ?? ((key: string) => key);
  const newestFirst = [...input.recentMessages].reverse().map((message) => message.trim());
  const problems: KeyProblem[] = [];
  const skipped = new Map<LoreEntry, SkippedEntry>();
  const prepare = (key: string, entry: LoreEntry): ParsedKey | undefined => {
    const text = expand(key).trim();
    if (!text) return undefined;
    const parsed = parseKey(text);
    if (parsed.kind === 'invalid') problems.push({ entryId: entry.id, key, problem: `invalid regex: ${parsed.problem}` });
    return parsed;
  };

  const candidates: Candidate[] = [];
  input.entries.forEach((entry, index) => {
    if (!entry.enabled) {
      skipped.set(entry, { entry, reason: 'disabled', detail: 'the entry is disabled' });
      return;
    }
    const primary = entry.keys.flatMap((raw) => {
      const parsed = prepare(raw, entry);
      return parsed ? [{ raw, parsed }] : [];
    });
    // An empty secondary key still counts (it never matches), as in SillyTavern's matchSecondaryKeys.
    const secondary = entry.secondaryKeys.map((raw) => prepare(raw, entry) ?? ({ kind: 'invalid', problem: 'empty' } as const));
    const { content, decorators } = splitDecorators(entry.content);
    if (decorators.includes('@@dont_activate')) {
      skipped.set(entry, { entry, reason: 'decorator', detail: 'the entry says @@dont_activate' });
      return;
    }
    if (!entry.constant && !decorators.includes('@@activate') && primary.length === 0) {
      skipped.set(entry, { entry, reason: 'no_keys', detail: 'the entry has no keys and is not constant' });
      return;
    }
    candidates.push({
      entry,
      index,
      content,
      decorators,
      primary,
      secondary,
      options: { caseSensitive: entry.caseSensitive, wholeWords: entry.wholeWords },
      minStep: delayLevel(entry.extra),
      excludeRecursion: flag(entry.extra, 'excludeRecursion', 'exclude_recursion'),
      feedsRecursion: entry.recursive && !flag(entry.extra, 'preventRecursion', 'prevent_recursion'),
      usesSecondary: entry.extra['selective'] !== false && entry.secondaryKeys.length > 0,
    });
  });
  // SillyTavern scans in priority order (higher order first).
  candidates.sort((a, b) => b.entry.order - a.entry.order || a.index - b.index);

  const activated: Array<ActivatedEntry & { index: number }> = [];
  const done = new Set<LoreEntry>();
  const recursionBuffer: string[] = [];

  for (let step = 0; step <= maxDepth; step++) {
    const fresh: Candidate[] = [];
    for (const candidate of candidates) {
      if (done.has(candidate.entry)) continue;
      if (step < candidate.minStep) {
        skipped.set(candidate.entry, {
          entry: candidate.entry,
          reason: 'delayed_until_recursion',
          detail: `fires only from recursion step ${candidate.minStep}`,
        });
        continue;
      }
      if (step > 0 && candidate.excludeRecursion) continue;
      const trigger = evaluate(candidate, step, newestFirst, recursionBuffer, skipped);
      if (!trigger) continue;
      skipped.delete(candidate.entry);
      done.add(candidate.entry);
      activated.push({ entry: candidate.entry, trigger, content: candidate.content, index: candidate.index });
      fresh.push(candidate);
    }
    const text = fresh.filter((candidate) => candidate.feedsRecursion).map((candidate) => candidate.content).join('\n');
    const moreDelayed = candidates.some((candidate) => !done.has(candidate.entry) && candidate.minStep > step);
    if (!text && !moreDelayed) break;
    if (text) recursionBuffer.push(text);
  }

  activated.sort((a, b) => b.entry.order - a.entry.order || a.index - b.index);
  return {
    activated: activated.map(({ entry, trigger, content }) => ({ entry, trigger, content })),
    skipped: [...skipped.values()],
    problems,
  };
}

function evaluate(
  candidate: Candidate,
  step: number,
  newestFirst: readonly string[],
  recursionBuffer: readonly string[],
  skipped: Map<LoreEntry, SkippedEntry>,
): ActivationTrigger | undefined {
  const { entry } = candidate;
  if (candidate.decorators.includes('@@activate')) return { key: '', source: 'decorator' };
  if (entry.constant) return { key: '', source: 'constant' };
  const messageText = newestFirst.length && entry.scanDepth > 0 ? MATCHER + newestFirst.slice(0, entry.scanDepth).join(JOINER) : '';
  const fullText = recursionBuffer.length ? [messageText, ...recursionBuffer].join(JOINER) : messageText;
  const primary = candidate.primary.find((key) => matchesKey(fullText, key.parsed, candidate.options));
  if (!primary) return undefined;
  if (candidate.usesSecondary && !secondaryAllows(entry.selectiveLogic, candidate.secondary, fullText, candidate.options)) {
    skipped.set(entry, {
      entry,
      reason: 'secondary_keys',
      detail: `primary key "${primary.raw}" matched but secondary keys fail ${entry.selectiveLogic}`,
    });
    return undefined;
  }
  const messageDepth = newestFirst
    .slice(0, Math.max(0, entry.scanDepth))
    .findIndex((message) => matchesKey(MATCHER + message, primary.parsed, candidate.options));
  if (messageDepth >= 0) return { key: primary.raw, source: 'message', depth: messageDepth + 1 };
  return { key: primary.raw, source: 'recursion', depth: step };
}

/** SillyTavern's matchSecondaryKeys: an empty key never matches. */
function secondaryAllows(logic: SelectiveLogic, keys: readonly ParsedKey[], text: string, options: MatchOptions): boolean {
  const hits = keys.map((key) => matchesKey(text, key, options));
  switch (logic) {
    case 'and_any':
      return hits.some(Boolean);
    case 'and_all':
      return hits.every(Boolean);
    case 'not_any':
      return !hits.some(Boolean);
    case 'not_all':
      return !hits.every(Boolean);
  }
}

function flag(extra: Record<string, unknown>, camel: string, snake: string): boolean {
  const extensions = extra['extensions'];
  const nested = typeof extensions === 'object' && extensions !== null ? (extensions as Record<string, unknown>)[snake] : undefined;
  return Boolean(extra[camel] ?? extra[snake] ?? nested);
}

function delayLevel(extra: Record<string, unknown>): number {
  const extensions = extra['extensions'];
  const nested =
    typeof extensions === 'object' && extensions !== null ? (extensions as Record<string, unknown>)['delay_until_recursion'] : undefined;
  const value = extra['delayUntilRecursion'] ?? extra['delay_until_recursion'] ?? nested;
  if (value === true) return 1;
  if (typeof value === 'number' && value > 0) return Math.floor(value);
  return 0;
}
