import { describe, expect, it } from 'vitest';
import type { AnyServerEvent } from '../../protocol/index.ts';
import { syncState } from '../testing/fake-connection.ts';
import { initialViewState, reduce } from './reducer.ts';
import { estimatedCost, sessionTokens } from './selectors.ts';
import type { Action, ViewState } from './types.ts';

const run = (actions: Action[], from: ViewState = initialViewState()): ViewState => actions.reduce(reduce, from);
const server = (event: AnyServerEvent): Action => ({ type: 'server', event, at: 0 });
const stage = { world_id: 'eldoria', character_id: 'aria', model: 'openai/gpt-4o-mini', model_confirmed: true, session_id: 'abc123def456' };
const reply = (tokens: number): Action[] => [
  { type: 'submitted', text: 'go', kind: 'story', at: 0 },
  server({ event: 'chat_chunk', content: 'x', metadata: {} }),
  server({ event: 'chat_end', content: '', metadata: { total_tokens: tokens } }),
];

describe('session tokens in the status line', () => {
  it('are not reset when the engine reports the session cost after a reply', () => {
    const state = run([server(syncState(stage)), ...reply(300), server(syncState({ ...stage, session_cost: 0.25 }))]);
    expect(sessionTokens(state)).toBe(300);
    // The cost already counts those tokens: they are not added twice.
    expect(estimatedCost(state)).toBeCloseTo(0.25);
    const more = run(reply(100), state);
    expect(sessionTokens(more)).toBe(400);
    expect(estimatedCost(more)).toBeCloseTo(0.25 + (100 * 0.6) / 1e6);
  });

  it('start again in another session', () => {
    const state = run([server(syncState(stage)), ...reply(300), server(syncState({ ...stage, session_id: 'fedcba654321', session_cost: 0 }))]);
    expect(sessionTokens(state)).toBe(0);
    const viaNotice = run([server(syncState(stage)), ...reply(300), server({ event: 'system_update', content: '✓ New session: 0123456789ab', metadata: { session_id: '0123456789ab' } })]);
    expect(sessionTokens(viaNotice)).toBe(0);
  });
});

describe('reconnecting', () => {
  const history = (contents: string[]): Action =>
    server({ event: 'chat_history', content: '', metadata: { history: contents.map((content, i) => ({ role: i % 2 ? 'assistant' : 'user', content, n: i + 1 })) } });
  const open: Action = { type: 'connection', status: { state: 'open' }, at: 0 };
  const lost: Action = { type: 'connection', status: { state: 'reconnecting', attempt: 1, retryInMs: 250 }, at: 0 };

  it('reloading the same session keeps the error and the notices that came after the story', () => {
    const playing = run([open, server(syncState(stage)), { type: 'resync_sent' }, history(['I knock', 'The door opens.'])]);
    const failed = run([{ type: 'submitted', text: 'I enter', kind: 'story', at: 0 }, server({ event: 'error', content: 'The provider had a server error (HTTP 500).', metadata: {} }), server({ event: 'chat_end', content: '', metadata: { total_tokens: 0 } })], playing);
    const back = run([lost, open, server(syncState(stage)), { type: 'resync_sent' }, history(['I knock', 'The door opens.', 'I enter'])], failed);
    expect(back.messages.map((m) => [m.kind, m.text])).toEqual([
      ['user', 'I knock'],
      ['narrator', 'The door opens.'],
      ['user', 'I enter'],
      ['error', 'The provider had a server error (HTTP 500).'],
      ['system', '✓ Reconnected to the engine.'],
    ]);
    expect(new Set(back.messages.map((m) => m.id)).size).toBe(back.messages.length);
  });

  it("keeps them through a Flower engine's own history on connect and the answer to the reload", () => {
    const playing = run([open, server(syncState(stage)), { type: 'resync_sent' }, history(['I knock']), server(syncState(stage))]);
    const failed = run([server({ event: 'error', content: 'Upstream failed.', metadata: {} })], playing);
    // Reconnect: handshake sync_state, the reload asked, the handshake's history, then the answer (history, sync_state).
    const greeting = server({ event: 'system_update', content: '✓ Engine ready.', metadata: { status: 'ok' } });
    const back = run([lost, open, greeting, server(syncState(stage)), { type: 'resync_sent' }, history(['I knock']), history(['I knock']), server(syncState(stage))], failed);
    expect(back.messages.map((m) => m.text)).toEqual(['I knock', 'Upstream failed.', '✓ Reconnected to the engine.']);
    expect(back.resyncing).toBe('no');
    // Later histories (another session) replace everything again.
    expect(run([history(['Elsewhere'])], back).messages.map((m) => m.text)).toEqual(['Elsewhere']);
  });

  it('the first connect shows the session as stored, without the greeting; another session replaces everything', () => {
    const first = run([open, server({ event: 'system_update', content: '✓ Engine ready.', metadata: {} }), server(syncState(stage)), { type: 'resync_sent' }, history(['I knock']), server(syncState(stage))]);
    expect(first.messages.map((m) => m.text)).toEqual(['I knock']);
    const other = run([server({ event: 'system_update', content: '✓ Rule added', metadata: {} }), history(['Elsewhere'])], first);
    expect(other.messages.map((m) => m.text)).toEqual(['Elsewhere']);
  });
});

describe('the history a Flower engine sends with its handshake', () => {
  const open: Action = { type: 'connection', status: { state: 'open' }, at: 0 };
  const history = server({ event: 'chat_history', content: '', metadata: { history: [{ role: 'user', content: 'I knock', n: 1 }] } });

  it('makes asking for it moot', () => {
    const asked = run([open, server(syncState(stage))]);
    expect(asked.resync).toBe('/session continue abc123def456');
    const answered = run([history], asked);
    expect(answered.resync).toBeNull();
    expect(answered.resyncing).toBe('no');
    expect(answered.messages.map((m) => m.text)).toEqual(['I knock']);
  });
});
