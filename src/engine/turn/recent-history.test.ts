import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../store/sqlite-store.ts';
import { contextWindow } from '../context/budget.ts';
import type { MessageRecord, MessageRole, Store } from '../ports.ts';
import { buildPrompt, HISTORY_MESSAGES, type PromptInput } from '../prompt/build-prompt.ts';
import { testCharacter } from '../testing/fake-content.ts';
import { testModel } from '../testing/scripted-models.ts';
import { CachedTokenCounter, uncachedTokens } from '../tokens.ts';
import { ENTRY_SCAN_MESSAGES } from './assemble-prompt.ts';
import { HistoryPageSizes, recentHistory } from './recent-history.ts';

const session = (id: string) => ({ id, profileId: 'default', worldId: 'w', characterId: 'c', model: 'm', parentId: null, createdAt: 1 });

function sessionWith(store: Store, id: string, messages: ReadonlyArray<{ role: MessageRole; content: string }>): void {
  store.sessions.create(session(id));
  store.transaction(() => {
    for (const m of messages) store.messages.append({ sessionId: id, role: m.role, content: m.content, characterId: 'c' });
  });
}

/** What a turn read before paging: the newest `HISTORY_MESSAGES`, and the first-turn test on them. */
function fullRead(store: Store, id: string): { messages: MessageRecord[]; firstTurn: boolean } {
  const messages = store.messages.recent(id, HISTORY_MESSAGES);
  return { messages, firstTurn: !messages.some((m) => m.role === 'user') && store.messages.count(id) === messages.length };
}

const prompt = (history: readonly MessageRecord[], contextLength: number): PromptInput => ({
  window: contextWindow(testModel('p/x', { contextLength })),
  baseRules: 'BASE',
  rules: [],
  worldId: 'w',
  worldName: 'World',
  worldPrompt: 'WORLD PROMPT',
  character: testCharacter('c', { name: 'Mara', persona: 'A smuggler.' }),
  scene: '',
  entries: [],
  lore: [],
  memories: [],
  history,
  userText: 'I draw my blade.',
});

/** The messages entry activation scans, as `assemblePrompt` picks them. */
const scanned = (history: readonly MessageRecord[]) =>
  history
    .filter((m) => m.role !== 'system' && m.content !== '')
    .slice(-ENTRY_SCAN_MESSAGES)
    .map((m) => m.id);

describe('recentHistory', () => {
  it('assembles exactly the prompt the full 500-message read did, whatever the session (property)', () => {
    const store = createSqliteStore(':memory:');
    const tokens = new CachedTokenCounter();
    const pages = new HistoryPageSizes();
    let sessions = 0;
    let shorterReads = 0;
    const text = fc.oneof(
      fc.constant(''),
      fc.constant('   '),
      fc.integer({ min: 1, max: 40 }).map((n) => 'word '.repeat(n)),
      fc.integer({ min: 100, max: 900 }).map((n) => 'the rain on the inn '.repeat(Math.ceil(n / 20))),
    );
    const role = fc.constantFrom<MessageRole>('user', 'assistant', 'assistant', 'system');
    fc.assert(
      fc.property(
        fc.record({
          contextLength: fc.constantFrom(1_024, 8_192, 32_000),
          messages: fc.array(fc.record({ role, content: text }), { maxLength: 700, size: 'max' }),
        }),
        (c) => {
          const id = `s${sessions++}`;
          sessionWith(store, id, c.messages);
          const window = contextWindow(testModel('p/x', { contextLength: c.contextLength }));
          // A first read from the first page, and a second from the size it remembered.
          expect(recentHistory(store, id, window.inputBudget, tokens, pages)).toEqual(recentHistory(store, id, window.inputBudget, uncachedTokens));
          const paged = recentHistory(store, id, window.inputBudget, tokens, pages);
          const full = fullRead(store, id);
          if (paged.messages.length < full.messages.length) shorterReads++;
          expect(paged.firstTurn).toBe(full.firstTurn);
          expect(scanned(paged.messages)).toEqual(scanned(full.messages));
          const fromPage = buildPrompt({ ...prompt(paged.messages, c.contextLength), tokens });
          const fromFull = buildPrompt(prompt(full.messages, c.contextLength));
          expect(fromPage.messages).toEqual(fromFull.messages);
          expect(fromPage.blocks).toEqual(fromFull.blocks);
          expect(fromPage.totalTokens).toBe(fromFull.totalTokens);
        },
      ),
      { numRuns: 40, seed: 11, endOnFailure: true },
    );
    // The property must have met sessions where a page was enough, or it proves nothing.
    expect(shorterReads).toBeGreaterThan(5);
    store.close();
  });

  it('reads one page of a long session whose newest messages fill the budget', () => {
    const store = createSqliteStore(':memory:');
    const long = Array.from({ length: 2_000 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as MessageRole, content: `message ${i} `.repeat(40) }));
    sessionWith(store, 's', long);
    const reads: number[] = [];
    const counting: Store = { ...store, messages: { ...store.messages, recent: (sessionId, limit) => (reads.push(limit), store.messages.recent(sessionId, limit)) } };
    const got = recentHistory(counting, 's', contextWindow(undefined).inputBudget, uncachedTokens);
    expect(reads).toHaveLength(1);
    expect(got.messages.length).toBeLessThan(HISTORY_MESSAGES);
    expect(got.firstTurn).toBe(false);
    store.close();
  });
});
