import { describe, expect, it } from 'vitest';
import type { ContextManifest } from '../protocol/index.ts';
import type { Store } from '../engine/ports.ts';
import { createSqliteStore } from './sqlite-store.ts';

function withSession(): { store: Store; sessionId: string } {
  const store = createSqliteStore(':memory:', { loadVectorExtension: false });
  store.sessions.create({ id: 'aaaaaaaaaaaa', profileId: 'default', worldId: 'w', characterId: 'c', model: 'm', parentId: null, createdAt: 1 });
  return { store, sessionId: 'aaaaaaaaaaaa' };
}

const manifest = (sessionId: string, total = 10): ContextManifest => ({
  session_id: sessionId,
  model: 'p/m',
  created_at: 5,
  context_length: 8192,
  reply_budget: 1024,
  input_budget: 7168,
  total_tokens: total,
  budgets: { lore: 100 },
  blocks: [{ kind: 'base_rules', label: 'Base rules', source: {}, tokens: 3 }],
  left_out: [{ kind: 'lore', label: 'chunk', source: { chunk_id: 4 }, tokens: 300, reason: 'budget', detail: 'no room' }],
});

describe('summary store', () => {
  it('saves, replaces and deletes a session summary', () => {
    const { store, sessionId } = withSession();
    const summaries = store.summaries!;
    expect(summaries.get(sessionId)).toBeUndefined();
    summaries.save({ sessionId, text: 'The knight arrived.', coversUpToMessageId: 4, updatedAt: 10 });
    summaries.save({ sessionId, text: 'The knight arrived and fought.', coversUpToMessageId: 8, updatedAt: 20 });
    expect(summaries.get(sessionId)).toEqual({ sessionId, text: 'The knight arrived and fought.', coversUpToMessageId: 8, updatedAt: 20 });
    summaries.delete(sessionId);
    expect(summaries.get(sessionId)).toBeUndefined();
  });

  it('goes with its session, and is not kept for a session that no longer exists', () => {
    const { store, sessionId } = withSession();
    store.summaries!.save({ sessionId, text: 'Story so far.', coversUpToMessageId: 2, updatedAt: 1 });
    store.manifests!.save(manifest(sessionId));
    store.sessions.delete(sessionId);
    expect(store.summaries!.get(sessionId)).toBeUndefined();
    expect(store.manifests!.get(sessionId)).toBeUndefined();
    store.summaries!.save({ sessionId, text: 'Late summary.', coversUpToMessageId: 2, updatedAt: 2 });
    store.manifests!.save(manifest(sessionId));
    expect(store.summaries!.get(sessionId)).toBeUndefined();
    expect(store.manifests!.get(sessionId)).toBeUndefined();
  });
});

describe('manifest store', () => {
  it('keeps the last manifest of each session', () => {
    const { store, sessionId } = withSession();
    store.manifests!.save(manifest(sessionId, 10));
    store.manifests!.save(manifest(sessionId, 20));
    expect(store.manifests!.get(sessionId)).toEqual(manifest(sessionId, 20));
    expect(store.manifests!.get('bbbbbbbbbbbb')).toBeUndefined();
  });
});
