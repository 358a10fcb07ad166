import { describe, expect, it } from 'vitest';
import type { AnyServerEvent } from '../../protocol/index.ts';
import { readyEvent, syncState } from '../testing/fake-connection.ts';
import { initialViewState, reduce } from './reducer.ts';
import { checklist, elapsedMs, estimatedCost, formatCost, scrollView, sessionTokens } from './selectors.ts';
import type { Action, ViewState } from './types.ts';

function run(actions: Action[], from: ViewState = initialViewState()): ViewState {
  return actions.reduce(reduce, from);
}

const server = (event: AnyServerEvent, at = 0): Action => ({ type: 'server', event, at });
const chunk = (content: string, at: number, metadata: Record<string, unknown> = {}): Action =>
  server({ event: 'chat_chunk', content, metadata }, at);
const end = (total_tokens: number, at: number): Action => server({ event: 'chat_end', content: '', metadata: { total_tokens } }, at);
const open: Action = { type: 'connection', status: { state: 'open' }, at: 0 };

const sessionStage = { world_id: 'eldoria', character_id: 'aria', model: 'openai/gpt-4o-mini', model_confirmed: true, session_id: 'abc123def456' };
const inSession = syncState(sessionStage);

describe('server events', () => {
  it('system_update updates the stage, keeps a notice and shows a SYSTEM message', () => {
    const state = run([server({ event: 'system_update', content: 'Active world set to neon', metadata: { world_id: 'neon' } })]);
    expect(state.stage.worldId).toBe('neon');
    expect(state.notices).toEqual(['Active world set to neon']);
    expect(state.messages).toMatchObject([{ kind: 'system', text: 'Active world set to neon' }]);
  });

  it('system_update carries model, confirmation, character, session, rules and status', () => {
    const state = run([
      server({
        event: 'system_update',
        content: 'x',
        metadata: { model: 'm', model_confirmed: true, character_id: 'c', session_id: 's', active_rules: ['r'], status: 'ok' },
      }),
    ]);
    expect(state.stage).toMatchObject({ model: 'm', modelConfirmed: true, characterId: 'c', sessionId: 's', activeRules: ['r'], status: 'ok' });
  });

  it('keeps only the most recent notices', () => {
    const many = Array.from({ length: 15 }, (_, i) => server({ event: 'system_update', content: `n${i}`, metadata: {} }));
    const state = run(many);
    expect(state.notices).toHaveLength(10);
    expect(state.notices.at(-1)).toBe('n14');
  });

  it('sync_state replaces the stage and every list', () => {
    const state = run([server(syncState({ world_id: 'eldoria', active_rules: ['grim'] }))]);
    expect(state.stage.worldId).toBe('eldoria');
    expect(state.stage.activeRules).toEqual(['grim']);
    expect(state.lists.worlds.map((w) => w.id)).toEqual(['eldoria', 'neon']);
    expect(state.lists.models[1]).toMatchObject({ id: 'anthropic/claude-sonnet', completion_price: 15 });
    expect(state.lists.sessions).toHaveLength(1);
  });

  it('takes the command list from sync_state and keeps the client commands', () => {
    const before = run([]);
    expect(before.commandsFromEngine).toBe(false);
    expect(before.commands.map((c) => c.name)).toContain('/session new');
    const state = run([
      server(syncState({ commands: [{ name: '/roll', usage: '/roll <dice>', description: 'Roll dice', completion: 'none', takes_argument: true }] })),
    ]);
    expect(state.commandsFromEngine).toBe(true);
    expect(state.commands.map((c) => c.name)).toEqual(['/roll', '/quit', '/help']);
  });

  it('reads an additive config_path from sync_state for the model hint', () => {
    const state = run([server(syncState({ available_models: [], config_path: '/home/p/.config/flower/config.yaml' }))]);
    expect(checklist(state).find((i) => i.label === 'Model')?.hint).toContain('/home/p/.config/flower/config.yaml');
  });

  it('chat_history replaces the messages, mapping roles', () => {
    const state = run([
      { type: 'local_message', kind: 'system', text: 'old' },
      server({ event: 'chat_history', content: '', metadata: { history: [{ role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Hi' }] } }),
    ]);
    expect(state.messages.map((m) => [m.kind, m.text])).toEqual([
      ['narrator', 'Hello'],
      ['user', 'Hi'],
    ]);
    expect(new Set(state.messages.map((m) => m.id)).size).toBe(2);
  });

  it('carries the additive swipe position of a reply with alternatives', () => {
    const state = run([
      server({ event: 'chat_history', content: '', metadata: { history: [{ role: 'assistant', content: 'B', n: 1, swipe_index: 1, swipe_count: 3 }] } }),
    ]);
    expect(state.messages[0]?.swipe).toEqual({ index: 1, count: 3 });
  });

  it('marks the messages a newer engine says are hidden from the narrator, and no others', () => {
    const history = [
      { role: 'user', content: 'A whisper.', n: 1, hidden: true },
      { role: 'assistant', content: 'Heard.', n: 2 },
    ];
    const state = run([server({ event: 'chat_history', content: '', metadata: { history } })]);
    expect(state.messages[0]).toMatchObject({ kind: 'user', text: 'A whisper.', hidden: true });
    expect(state.messages[1]).not.toHaveProperty('hidden');
  });

  it('keeps the engine message numbers and numbers a move and its reply that come after', () => {
    const history = [
      { role: 'assistant', content: 'Hello', n: 1 },
      { role: 'system', content: '🎲 Aria rolled 1d20: [12] = 12', n: 2 },
    ];
    const state = run([
      server({ event: 'chat_history', content: '', metadata: { history } }),
      { type: 'submitted', text: 'I wave.', kind: 'story', at: 1 },
      chunk('Hi there.', 2),
      end(3, 3),
      server({ event: 'system_update', content: '✓ Rule added', metadata: {} }),
    ]);
    expect(state.messages.map((m) => [m.kind, m.n])).toEqual([
      ['narrator', 1],
      ['system', 2],
      ['user', 3],
      ['narrator', 4],
      ['system', undefined],
    ]);
  });

  it('error adds an ERROR message', () => {
    const state = run([server({ event: 'error', content: 'Provider said 401: bad key', metadata: {} })]);
    expect(state.messages).toMatchObject([{ kind: 'error', text: 'Provider said 401: bad key' }]);
  });

  it('ignores events it does not know', () => {
    const before = run([]);
    expect(run([server({ event: 'embedding_progress', content: '', metadata: { done: 1 } })], before)).toEqual(before);
  });
});

describe('streaming lifecycle', () => {
  const started = (): ViewState => run([server(inSession), { type: 'submitted', text: 'I knock', kind: 'story', at: 1000 }]);

  it('a story turn adds YOU, clears the draft and waits for the reply', () => {
    const state = run([{ type: 'set_draft', text: 'I knock' }], initialViewState());
    const after = reduce(state, { type: 'submitted', text: 'I knock', kind: 'story', at: 1000 });
    expect(after.draft.text).toBe('');
    expect(after.messages.at(-1)).toMatchObject({ kind: 'user', text: 'I knock' });
    expect(after.stream).toMatchObject({ phase: 'waiting', startedAt: 1000 });
  });

  it('a command neither adds a message nor waits', () => {
    const after = run([{ type: 'submitted', text: '/session new', kind: 'command', at: 5 }]);
    expect(after.messages).toEqual([]);
    expect(after.stream.phase).toBe('idle');
    expect(after.history.entries).toEqual(['/session new']);
  });

  it('chunks append to one streaming NARRATOR message; chat_end finishes it', () => {
    const streaming = run([chunk('The door ', 1500, { tokens_per_second: 20 }), chunk('creaks.', 2000)], started());
    const narrator = streaming.messages.filter((m) => m.kind === 'narrator');
    expect(narrator).toEqual([expect.objectContaining({ text: 'The door creaks.', streaming: true })]);
    expect(streaming.stream).toMatchObject({ phase: 'streaming', tokens: 2, startedAt: 1000 });
    const ended = reduce(streaming, end(42, 3000));
    expect(ended.messages.at(-1)).toMatchObject({ text: 'The door creaks.', streaming: false });
    expect(ended.stream).toMatchObject({ phase: 'idle', tokens: 42, endedAt: 3000 });
    expect(elapsedMs(ended, 99_999)).toBe(2000);
  });

  it('uses the engine tokens/s when given, else computes it', () => {
    expect(run([chunk('a', 1500, { tokens_per_second: 20 })], started()).stream.tokensPerSecond).toBe(20);
    expect(run([chunk('a', 1500), chunk('b', 2000)], started()).stream.tokensPerSecond).toBe(2);
  });

  it('a second reply starts a new NARRATOR message', () => {
    const state = run([chunk('One.', 1100), end(1, 1200), { type: 'submitted', text: 'again', kind: 'story', at: 1300 }, chunk('Two.', 1400)], started());
    expect(state.messages.filter((m) => m.kind === 'narrator').map((m) => m.text)).toEqual(['One.', 'Two.']);
  });

  it('a refused turn (✗ notice without chat_end) unlocks the input', () => {
    const state = run([server({ event: 'system_update', content: '✗ Prepare the stage first (World, Char, Session).', metadata: {} })], started());
    expect(state.stream.phase).toBe('idle');
  });

  it('cancel: the ✗ notice then chat_end keep the text and end the stream', () => {
    const state = run(
      [chunk('Half a', 1100), server({ event: 'system_update', content: '✗ Stream cancelled by user.', metadata: {} }), end(3, 1200)],
      started(),
    );
    expect(state.stream.phase).toBe('idle');
    expect(state.messages.find((m) => m.kind === 'narrator')?.text).toBe('Half a');
  });

  it('error during a reply shows ERROR, then chat_end ends the stream', () => {
    const state = run([chunk('Hm', 1100), server({ event: 'error', content: 'rate limited', metadata: {} })], started());
    expect(state.stream.phase).toBe('streaming');
    expect(state.messages.at(-1)).toMatchObject({ kind: 'error' });
    expect(reduce(state, end(0, 1300)).stream).toMatchObject({ phase: 'idle', tokens: 1 });
  });
});

describe('cost estimate', () => {
  it('is tokens × the current model completion price per million', () => {
    const state = run([server(inSession), { type: 'submitted', text: 'go', kind: 'story', at: 0 }, chunk('x', 1), end(1_000_000, 2)]);
    expect(sessionTokens(state)).toBe(1_000_000);
    expect(estimatedCost(state)).toBeCloseTo(0.6);
    const sonnet = reduce(state, server({ event: 'system_update', content: 'Hot-swapped model to anthropic/claude-sonnet', metadata: { model: 'anthropic/claude-sonnet', model_confirmed: true } }));
    expect(estimatedCost(sonnet)).toBeCloseTo(15);
  });

  it('counts the reply being streamed and starts from the engine session_cost', () => {
    const state = run([server(syncState({ ...sessionStage, session_cost: 0.5 })), { type: 'submitted', text: 'go', kind: 'story', at: 0 }, chunk('x', 1), chunk('y', 2)]);
    expect(sessionTokens(state)).toBe(2);
    expect(estimatedCost(state)).toBeCloseTo(0.5 + (2 * 0.6) / 1e6);
  });

  it('is unknown without a model price', () => {
    expect(estimatedCost(initialViewState())).toBeNull();
    expect(formatCost(null)).toBe('$—');
    expect(formatCost(0.1234)).toBe('$0.12');
  });
});

describe('connection', () => {
  it('keeps the draft across a reconnect and says it reconnected', () => {
    const typed = run([open, { type: 'set_draft', text: 'half a thought' }]);
    const dropped = reduce(typed, { type: 'connection', status: { state: 'reconnecting', attempt: 1, retryInMs: 250 }, at: 1 });
    expect(dropped.draft.text).toBe('half a thought');
    const back = reduce(dropped, { type: 'connection', status: { state: 'open' }, at: 2 });
    expect(back.draft.text).toBe('half a thought');
    expect(back.messages.at(-1)?.text).toContain('Reconnected');
  });

  it('after (re)connecting, asks once for the history of the active session', () => {
    const state = run([open, server(readyEvent), server(inSession)]);
    expect(state.resync).toBe('/session continue abc123def456');
    const sent = reduce(state, { type: 'resync_sent' });
    expect(reduce(sent, server(inSession)).resync).toBeNull();
    expect(run([open, server(syncState())]).resync).toBeNull();
  });

  it('a lost connection mid-reply unlocks the input and keeps the partial text', () => {
    const state = run([open, server(inSession), { type: 'submitted', text: 'go', kind: 'story', at: 0 }, chunk('Part', 1)]);
    const lost = reduce(state, { type: 'connection', status: { state: 'reconnecting', attempt: 1, retryInMs: 250 }, at: 2 });
    expect(lost.stream.phase).toBe('idle');
    expect(lost.messages.find((m) => m.kind === 'narrator')).toMatchObject({ text: 'Part', streaming: false });
    expect(lost.messages.at(-1)?.text).toMatch(/^✗ Lost the engine/);
  });

  it('a failed send keeps the draft and says why', () => {
    const state = run([{ type: 'set_draft', text: 'keep me' }, { type: 'send_failed', text: 'keep me' }]);
    expect(state.draft.text).toBe('keep me');
    expect(state.messages.at(-1)).toMatchObject({ kind: 'error' });
    expect(state.notices.at(-1)).toContain('Not connected');
  });

  it('counts bad frames', () => {
    expect(run([{ type: 'bad_frame', error: 'frame is not JSON' }]).badFrames).toBe(1);
  });
});

describe('input history', () => {
  const sentTwo = (): ViewState =>
    run([
      { type: 'submitted', text: 'first', kind: 'story', at: 0 },
      { type: 'submitted', text: '/session new', kind: 'command', at: 0 },
      { type: 'set_draft', text: 'drafting' },
    ]);

  it('Up walks back, Down walks forward and restores the unsent draft', () => {
    const up1 = reduce(sentTwo(), { type: 'history', direction: -1 });
    expect(up1.draft.text).toBe('/session new');
    const up2 = reduce(up1, { type: 'history', direction: -1 });
    expect(up2.draft.text).toBe('first');
    expect(reduce(up2, { type: 'history', direction: -1 }).draft.text).toBe('first');
    const down = run([{ type: 'history', direction: 1 }, { type: 'history', direction: 1 }], up2);
    expect(down.draft.text).toBe('drafting');
  });
});

describe('scrolling', () => {
  it('clamps to the transcript', () => {
    expect(run([{ type: 'scroll', delta: 50, maxOffset: 20, total: 40, width: 70 }]).ui.scrollOffset).toBe(20);
    expect(run([{ type: 'scroll', delta: -5, maxOffset: 20, total: 40, width: 70 }]).ui.scrollOffset).toBe(0);
  });

  it('keeps the lines being read in view while text arrives below, and says so', () => {
    const up = run([{ type: 'scroll', delta: 5, maxOffset: 20, total: 40, width: 70 }]);
    expect(scrollView(up, 40, 20, 70)).toEqual({ offset: 5, newBelow: false });
    expect(scrollView(up, 43, 23, 70)).toEqual({ offset: 8, newBelow: true });
    const further = reduce(up, { type: 'scroll', delta: 1, maxOffset: 23, total: 43, width: 70 });
    expect(scrollView(further, 43, 23, 70)).toEqual({ offset: 9, newBelow: true });
    const bottom = reduce(further, { type: 'scroll_to', offset: 0, total: 43, width: 70 });
    expect(scrollView(bottom, 50, 30, 70)).toEqual({ offset: 0, newBelow: false });
  });

  it('does not take a re-wrap after a resize for new text', () => {
    const up = run([{ type: 'scroll', delta: 5, maxOffset: 20, total: 40, width: 70 }]);
    expect(scrollView(up, 60, 40, 50)).toEqual({ offset: 5, newBelow: false });
  });
});

describe('checklist', () => {
  it('shows each step as done or the command to type', () => {
    const fresh = run([server(syncState())]);
    expect(checklist(fresh).map((i) => [i.label, i.done, i.hint])).toEqual([
      ['World', false, '/world select <id>'],
      ['Character', false, '/character select <id>'],
      ['Model', false, '/model <id>'],
      ['Session', false, '/session new  or  /session continue <id>'],
    ]);
    const ready = run([server(inSession)]);
    expect(checklist(ready).map((i) => [i.done, i.value])).toEqual([
      [true, 'Eldoria'],
      [true, 'Aria the Bard'],
      [true, 'GPT-4o mini'],
      [true, 'abc123def456'],
    ]);
  });

  it('an unconfirmed model is not done; no models at all says how to configure one', () => {
    expect(checklist(run([server(syncState({ model: 'openai/gpt-4o-mini' }))]))[2]?.done).toBe(false);
    const none = checklist(run([server(syncState({ available_models: [] }))]))[2];
    expect(none).toMatchObject({ done: false, typeable: false });
    expect(none?.hint).toContain("add a provider to your config file (see README 'Providers')");
  });
});
