import { describe, expect, it } from 'vitest';
import type { AnyServerEvent } from '../../protocol/index.ts';
import { syncState } from '../testing/fake-connection.ts';
import { initialViewState, reduce } from './reducer.ts';
import { isReplyRunning, lastNarratorReply } from './selectors.ts';
import type { Action, ViewState } from './types.ts';

const run = (actions: Action[], from: ViewState = initialViewState()): ViewState => actions.reduce(reduce, from);
const server = (event: AnyServerEvent, at = 0): Action => ({ type: 'server', event, at });
const thinking = (content: string, at = 0): Action => server({ event: 'reasoning_chunk', content, metadata: { model: 'deepseek/deepseek-reasoner', session_id: 'abc123def456' } }, at);
const chunk = (content: string, at = 0): Action => server({ event: 'chat_chunk', content, metadata: {} }, at);
const end = (at = 0): Action => server({ event: 'chat_end', content: '', metadata: { total_tokens: 7 } }, at);
const stage = { world_id: 'eldoria', character_id: 'aria', model: 'openai/gpt-4o-mini', model_confirmed: true, session_id: 'abc123def456' };
const turn = (): ViewState => run([server(syncState(stage)), { type: 'submitted', text: 'I knock', kind: 'story', at: 1000 }]);

describe('reasoning_chunk (a model thinking before it narrates)', () => {
  it('keeps the thinking a newer engine sends with chat_history, and none where it sends none', () => {
    const history = [
      { role: 'user', content: 'I knock', n: 1 },
      { role: 'assistant', content: 'The door opens.', n: 2, reasoning: 'Plan: be terse.' },
      { role: 'assistant', content: 'Old reply.', n: 3 },
    ];
    const state = run([server({ event: 'chat_history', content: '', metadata: { history } })], turn());
    const narrators = state.messages.filter((m) => m.kind === 'narrator');
    expect(narrators[0]).toMatchObject({ text: 'The door opens.', reasoning: 'Plan: be terse.' });
    expect(narrators[1]).not.toHaveProperty('reasoning');
  });

  it('starts the NARRATOR message with its thinking, apart from the text, and marks the reply under way', () => {
    const state = run([thinking('The player is ', 1100), thinking('cautious.', 1200)], turn());
    expect(state.messages.at(-1)).toMatchObject({ kind: 'narrator', text: '', reasoning: 'The player is cautious.', streaming: true });
    expect(state.stream).toMatchObject({ phase: 'streaming', tokens: 0, startedAt: 1000 });
    expect(state.stage.model).toBe('deepseek/deepseek-reasoner');
  });

  it('the narration then goes into the same message, never mixed with the thinking', () => {
    const state = run([thinking('Plan: be terse.'), chunk('The door '), chunk('opens.'), end(2000)], turn());
    const narrators = state.messages.filter((m) => m.kind === 'narrator');
    expect(narrators).toEqual([expect.objectContaining({ text: 'The door opens.', reasoning: 'Plan: be terse.', streaming: false })]);
    expect(lastNarratorReply(state)).toBe('The door opens.');
    expect(state.stream).toMatchObject({ phase: 'idle', tokens: 7 });
  });

  it('thinking that comes between pieces of narration joins the same reply', () => {
    const state = run([chunk('One. '), thinking('hmm'), chunk('Two.')], turn());
    expect(state.messages.filter((m) => m.kind === 'narrator')).toEqual([expect.objectContaining({ text: 'One. Two.', reasoning: 'hmm' })]);
  });

  it('a reply cancelled while thinking keeps its thinking and unlocks the input', () => {
    const state = run([thinking('Let me consider'), server({ event: 'system_update', content: '✗ Stream cancelled by user.', metadata: {} }), end()], turn());
    expect(isReplyRunning(state)).toBe(false);
    expect(state.messages.find((m) => m.kind === 'narrator')).toMatchObject({ text: '', reasoning: 'Let me consider', streaming: false });
  });

  it('after a reconnect mid-reply, thinking locks the input until chat_end', () => {
    const state = run([thinking('still going', 5000)], run([server(syncState(stage))]));
    expect(state.stream).toMatchObject({ phase: 'streaming', startedAt: 5000 });
    expect(run([end()], state).stream.phase).toBe('idle');
  });

  it('an empty piece changes nothing', () => {
    const before = turn();
    expect(reduce(before, thinking(''))).toBe(before);
  });

  it('Ctrl+T state: reasoning shown in full or collapsed', () => {
    const state = reduce(initialViewState(), { type: 'reasoning', expanded: true });
    expect(state.ui.reasoningExpanded).toBe(true);
    expect(reduce(state, { type: 'reasoning', expanded: false }).ui.reasoningExpanded).toBe(false);
  });
});
