import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../ports.ts';
import { createHarness } from '../testing/harness.ts';
import { createGate, reply, ScriptedModels, testModel, type ScriptStep } from '../testing/scripted-models.ts';
import { createSummarizer, windowStart } from './summarizer.ts';
import type { ContextManifest } from '../../protocol/index.ts';
import { createSqliteStore } from '../../store/sqlite-store.ts';
import { ManualClock, MemoryLogger } from '../testing/fakes.ts';
import { SUMMARY_INSTRUCTIONS } from './summary-prompt.ts';

const words = (n: number, word: string): string => Array.from({ length: n }, (_, i) => `${word}${i % 9}`).join(' ');
const isSummary = (request: ChatRequest | undefined) => request?.messages[0]?.content === SUMMARY_INSTRUCTIONS;

/** A small-context narrator with long replies, so turns leave the history window quickly. */
function setup(summarise: (request: ChatRequest, count: number) => readonly ScriptStep[]) {
  const models = new ScriptedModels({ models: [testModel('p/narrator', { contextLength: 2048 })] });
  let summaries = 0;
  models.fallback = (request) => (isSummary(request) ? summarise(request, ++summaries) : reply(words(60, 'reply')));
  const h = createHarness({ models });
  const client = h.connect();
  return { h, client, summaryRequests: () => h.models.requests.filter(isSummary) };
}

async function play(client: ReturnType<typeof setup>['client'], from: number, to: number): Promise<void> {
  for (let turn = from; turn <= to; turn++) {
    await client.send(`turn ${turn}: ${words(30, 'move')}`);
    await client.waitForEnd(turn);
  }
}

describe('rolling summary', () => {
  it('summarises messages that left the history window, in the background, and the next prompt includes it', async () => {
    const { h, client, summaryRequests } = setup((_request, count) => reply(`SUMMARY v${count}`));
    const sessionId = await h.prepareStage(client);
    await play(client, 1, 3);
    await h.engine.summarizer.idle();
    expect(summaryRequests()).toEqual([]);

    await play(client, 4, 12);
    await h.engine.summarizer.idle();
    const summary = h.store.summaries?.get(sessionId);
    expect(summary?.text).toMatch(/^SUMMARY v\d+$/);
    const manifest = h.store.manifests?.get(sessionId);
    expect(summary?.coversUpToMessageId).toBeLessThan(windowStart(manifest!) ?? 0);

    const first = summaryRequests()[0];
    expect(first?.modelId).toBe('p/narrator');
    const asked = first?.messages[1]?.content ?? '';
    expect(asked).toContain('(nothing yet');
    expect(asked).toContain('Narrator: Rain lashes the drawbridge as you arrive.');
    expect(asked).toContain('Player: turn 1:');
    // Incremental: a later request starts from the previous summary.
    const later = summaryRequests().at(-1)?.messages[1]?.content ?? '';
    expect(summaryRequests().length).toBeGreaterThan(1);
    expect(later).toContain('Summary so far:\nSUMMARY v');

    await play(client, 13, 13);
    const story = h.models.requests.filter((r) => !isSummary(r)).at(-1);
    expect(story?.messages[0]?.content).toContain(`Story so far:\n${summary?.text}`);
    expect(h.store.manifests?.get(sessionId)?.blocks).toContainEqual(
      expect.objectContaining({ kind: 'summary', source: { to_message_id: summary?.coversUpToMessageId } }),
    );
    await h.engine.summarizer.idle();
  });

  it('never delays the next turn: a slow summary runs while the player goes on', async () => {
    const gate = createGate();
    const { h, client, summaryRequests } = setup(() => [{ type: 'gate', gate }, ...reply('LATE SUMMARY')]);
    const sessionId = await h.prepareStage(client);
    await play(client, 1, 10);
    await client.waitFor(() => summaryRequests().length === 1);
    await play(client, 11, 12);
    expect(client.named('chat_end')).toHaveLength(12);
    expect(h.store.summaries?.get(sessionId)).toBeUndefined();
    expect(summaryRequests()).toHaveLength(1);
    gate.open();
    await h.engine.summarizer.idle();
    expect(h.store.summaries?.get(sessionId)?.text).toBe('LATE SUMMARY');
  });

  it('a failed summary is logged, harmless to the turn, and tried again after the next reply', async () => {
    const { h, client, summaryRequests } = setup((_request, count) =>
      count === 1 ? [{ type: 'error', kind: 'upstream', message: 'p: upstream is down', provider: 'p' }] : reply('SECOND TRY'),
    );
    const sessionId = await h.prepareStage(client);
    let turn = 0;
    while (summaryRequests().length === 0 && turn < 20) {
      turn++;
      await play(client, turn, turn);
      await h.engine.summarizer.idle();
    }
    expect(summaryRequests()).toHaveLength(1);
    expect(h.store.summaries?.get(sessionId)).toBeUndefined();
    expect(h.logger.entries).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('updating the session summary failed') }));
    expect(client.named('error')).toEqual([]);
    await play(client, turn + 1, turn + 1);
    await h.engine.summarizer.idle();
    expect(summaryRequests()).toHaveLength(2);
    expect(h.store.summaries?.get(sessionId)?.text).toBe('SECOND TRY');
  });

  it('is deleted with its session', async () => {
    const { h, client } = setup(() => reply('DOOMED SUMMARY'));
    const sessionId = await h.prepareStage(client);
    await play(client, 1, 10);
    await h.engine.summarizer.idle();
    expect(h.store.summaries?.get(sessionId)?.text).toBe('DOOMED SUMMARY');
    await client.send(`/session delete ${sessionId}`);
    expect(h.store.summaries?.get(sessionId)).toBeUndefined();
    expect(h.store.manifests?.get(sessionId)).toBeUndefined();
  });

  it('reads only the newest part of a long backlog, never the whole session', async () => {
    const { store, session, models } = storedSession('aaaaaaaaaaaa');
    const ids = Array.from({ length: 60 }, (_, i) => store.messages.append({ sessionId: session.id, role: i % 2 ? 'assistant' : 'user', content: `line ${i}`, characterId: 'wren' }).id);
    store.manifests.save(historyFrom(session.id, ids[50] ?? 0));
    const listed: string[] = [];
    const watched = { ...store, messages: { ...store.messages, list: (id: string) => (listed.push(id), store.messages.list(id)) } };
    const summarizer = createSummarizer({ store: watched, models, logger: new MemoryLogger(), clock: new ManualClock(), maxBacklog: 5, minMessages: 2 });
    summarizer.afterReply(session.id);
    await summarizer.idle();
    const asked = models.requests.map((request) => request.messages[1]?.content ?? '').join('\n');
    expect(asked).toContain('line 49');
    expect(asked).toContain('line 45');
    expect(asked).not.toContain('line 44');
    expect(listed).toEqual([]);
    expect(store.summaries?.get(session.id)?.coversUpToMessageId).toBe(ids[49]);
    store.close();
  });

  it('leaves hidden messages out of the summary', async () => {
    const { store, session, models } = storedSession('bbbbbbbbbbbb');
    const ids = Array.from({ length: 12 }, (_, i) =>
      store.messages.append({ sessionId: session.id, role: i % 2 ? 'assistant' : 'user', content: i === 3 || i === 4 ? `SECRET ${i}` : `line ${i}`, characterId: 'wren', hidden: i === 3 || i === 4 }).id,
    );
    store.manifests.save(historyFrom(session.id, ids[10] ?? 0));
    const summarizer = createSummarizer({ store, models, logger: new MemoryLogger(), clock: new ManualClock(), minMessages: 2 });
    summarizer.afterReply(session.id);
    await summarizer.idle();
    const asked = models.requests.map((request) => request.messages[1]?.content ?? '').join('\n');
    expect(asked).toContain('line 2');
    expect(asked).toContain('line 9');
    expect(asked).not.toContain('SECRET');
    expect(store.summaries.get(session.id)?.coversUpToMessageId).toBe(ids[9]);
    store.close();
  });
});

/** A real store with one session, and a narrator that answers every summary request. */
function storedSession(id: string) {
  const store = createSqliteStore(':memory:');
  const session = store.sessions.create({ id, profileId: 'default', worldId: 'castle', characterId: 'wren', model: 'p/narrator', parentId: null, createdAt: 0 });
  const models = new ScriptedModels({ models: [testModel('p/narrator')] });
  models.fallback = () => reply('SUMMARY');
  return { store, session, models };
}

/** The manifest of a turn whose history window started at message `fromId`. */
function historyFrom(sessionId: string, fromId: number): ContextManifest {
  return {
    session_id: sessionId,
    model: 'p/narrator',
    created_at: 0,
    context_length: 8192,
    reply_budget: 1024,
    input_budget: 7168,
    total_tokens: 100,
    budgets: {},
    blocks: [{ kind: 'history', label: 'history', source: { from_message_id: fromId }, tokens: 100 }],
    left_out: [],
  };
}
