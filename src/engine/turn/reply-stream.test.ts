import { describe, expect, it, vi } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { createGate, reply, type ScriptStep } from '../testing/scripted-models.ts';
import { estimateTokens } from '../tokens.ts';

describe('reply streaming', () => {
  it('streams chunks to every client with model, tokens_per_second, world_id and session_id, then one chat_end', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await h.prepareStage(asker);
    // A first turn titles the session and ends with a sync_state; look at a later one.
    await asker.send('Hello.');
    await asker.waitForEnd();
    await other.waitForEnd();
    h.models.enqueue([
      { type: 'text', text: 'The wind ' },
      { type: 'call', fn: () => h.clock.advance(500) },
      { type: 'text', text: 'howls.' },
      { type: 'call', fn: () => h.clock.advance(500) },
      { type: 'text', text: ' Rain falls.' },
      { type: 'finish', usage: { outputTokens: 42 }, finishReason: 'stop' },
    ]);
    asker.take();
    other.take();
    await asker.send('I listen.');
    for (const client of [asker, other]) {
      await client.waitForEnd();
      expect(client.events.map((e) => e.event)).toEqual(['chat_chunk', 'chat_chunk', 'chat_chunk', 'chat_end']);
      expect(client.events[0]).toEqual({
        event: 'chat_chunk',
        content: 'The wind ',
        metadata: { model: 'scripted/narrator', tokens_per_second: 0, world_id: 'castle', session_id: sessionId },
      });
      // Text not yet counted (no store write since it came) is estimated at 4 characters a token;
      // each store write (here at the second chunk, 500 ms in) counts the text with the tokenizer.
      expect(client.events[1]?.metadata.tokens_per_second).toBe(Math.round(('The wind howls.'.length / 4 / 0.5) * 10) / 10);
      const tokens = estimateTokens('The wind howls.') + ' Rain falls.'.length / 4;
      expect(client.events[2]?.metadata.tokens_per_second).toBe(Math.round((tokens / 1) * 10) / 10);
      expect(client.events[3]).toEqual({ event: 'chat_end', content: '', metadata: { total_tokens: 42, session_id: sessionId } });
    }
    expect(h.store.messages.list(sessionId).at(-1)).toMatchObject({
      role: 'assistant',
      content: 'The wind howls. Rain falls.',
      status: 'complete',
      tokens: 42,
      model: 'scripted/narrator',
    });
  });

  it('estimates total_tokens with the tokenizer when the provider reports no usage', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    h.models.enqueue(reply('A crow ', 'lands on the parapet.'));
    await client.send('I wait.');
    await client.waitForEnd();
    const expected = estimateTokens('A crow lands on the parapet.');
    expect(client.last('chat_end')?.metadata.total_tokens).toBe(expected);
    expect(h.store.messages.list(sessionId).at(-1)?.tokens).toBe(expected);
  });

  it('indexes the finished exchange as memory with both message ids', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    await client.send('I greet the baron.');
    await client.waitForEnd();
    const [user, assistant] = h.store.messages.list(sessionId).slice(-2);
    expect(h.store.memory.list(sessionId)).toEqual([
      expect.objectContaining({ text: 'User: I greet the baron.\nAI: The narrator answers.', messageIds: [user?.id, assistant?.id] }),
    ]);
  });

  it('keeps reasoning out of the narration: stored on the message, sent as reasoning_chunk', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    h.models.enqueue([{ type: 'reasoning', text: 'The player is cautious.' }, ...reply('Nothing moves.')]);
    await client.send('I hold still.');
    await client.waitForEnd();
    expect(client.text()).toBe('Nothing moves.');
    expect(client.named('reasoning_chunk').map((e) => e.content)).toEqual(['The player is cautious.']);
    expect(h.store.messages.list(sessionId).at(-1)).toMatchObject({ content: 'Nothing moves.', reasoning: 'The player is cautious.' });
  });

  it('on an upstream error: error event then chat_end; user message and partial text kept', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await h.prepareStage(asker);
    other.take();
    h.models.enqueue([
      { type: 'text', text: 'The gate creaks' },
      { type: 'error', kind: 'upstream', message: 'scripted: HTTP 500 Internal Server Error', provider: 'scripted' },
    ]);
    await asker.send('I push the gate.');
    for (const client of [asker, other]) {
      await client.waitForEnd();
      const names = client.events.map((e) => e.event);
      expect(names.slice(0, 3)).toEqual(['chat_chunk', 'error', 'chat_end']);
      expect(client.events[1]).toMatchObject({
        content: 'scripted: HTTP 500 Internal Server Error',
        metadata: { kind: 'upstream', provider: 'scripted', session_id: sessionId },
      });
    }
    const stored = h.store.messages.list(sessionId).slice(-2);
    expect(stored[0]).toMatchObject({ role: 'user', content: 'I push the gate.', status: 'complete' });
    expect(stored[1]).toMatchObject({ role: 'assistant', content: 'The gate creaks', status: 'failed' });
  });

  it('on an error before any text: error then chat_end, user message kept, empty reply not in history', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    h.models.enqueue([{ type: 'error', kind: 'auth', message: 'scripted: the API key was refused (401)', provider: 'scripted' }]);
    await client.send('Hello?');
    await client.waitForEnd();
    expect(client.events.map((e) => e.event).slice(0, 2)).toEqual(['error', 'chat_end']);
    expect(client.last('chat_end')?.metadata.total_tokens).toBe(0);
    expect(h.store.messages.list(sessionId).map((m) => `${m.role}:${m.status}`)).toEqual([
      'assistant:complete',
      'user:complete',
      'assistant:failed',
    ]);
    expect(h.connect().last('chat_history')?.metadata.history).toMatchObject([
      { role: 'assistant', content: 'Rain lashes the drawbridge as you arrive.' },
      { role: 'user', content: 'Hello?' },
    ]);
  });

  it('turns a gateway that throws into an error event, never a crash', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    h.models.enqueue([{ type: 'text', text: 'Half' }, { type: 'throw', error: new Error('socket hang up') }]);
    await client.send('Go on.');
    await client.waitForEnd();
    expect(client.last('error')?.content).toBe('The model stream failed: Error: socket hang up');
    expect(client.named('chat_end')).toHaveLength(1);
  });

  it('tells the player when the model returned no text', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    h.models.enqueue(reply());
    await client.send('Hm.');
    await client.waitForEnd();
    expect(client.lines().slice(0, 2)).toEqual([
      'system_update: ✗ scripted/narrator returned no text. Try again, or pick another model with /model <id>.',
      'chat_end',
    ]);
  });

  it('writes the growing reply to the store at most every 250 ms, not per chunk', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    const stored: string[] = [];
    const look = (): ScriptStep => ({ type: 'call', fn: () => stored.push(h.store.messages.list(sessionId).at(-1)?.content ?? '') });
    const advance = (ms: number): ScriptStep => ({ type: 'call', fn: () => h.clock.advance(ms) });
    h.models.enqueue([
      { type: 'text', text: 'a' },
      look(),
      advance(100),
      { type: 'text', text: 'b' },
      look(),
      advance(200),
      { type: 'text', text: 'c' },
      look(),
      { type: 'text', text: 'd' },
      look(),
      ...reply('e'),
    ]);
    await client.send('Write slowly.');
    await client.waitForEnd();
    expect(stored).toEqual(['', '', 'abc', 'abc']);
    expect(h.store.messages.list(sessionId).at(-1)?.content).toBe('abcde');
  });

  it('saves text that arrived just before a pause upstream without waiting for the next chunk', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    const gate = createGate();
    h.models.enqueue([{ type: 'text', text: 'Before the pause' }, { type: 'gate', gate }, ...reply('.')]);
    await client.send('Go.');
    await vi.waitFor(() => expect(h.store.messages.list(sessionId).at(-1)?.content).toBe('Before the pause'), { interval: 5, timeout: 5_000 });
    expect(h.store.messages.list(sessionId).at(-1)?.status).toBe('streaming');
    gate.open();
    await client.waitForEnd();
  });

  it('keeps generating when the asking client disconnects; others still see it; all is stored', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await h.prepareStage(asker);
    other.take();
    const gate = createGate();
    h.models.enqueue([{ type: 'text', text: 'One, ' }, { type: 'gate', gate }, ...reply('two.')]);
    await asker.send('Count.');
    await asker.waitFor((events) => events.some((e) => e.event === 'chat_chunk'));
    asker.connection.close();
    asker.take();
    gate.open();
    await other.waitForEnd();
    expect(other.text()).toBe('One, two.');
    expect(asker.events).toEqual([]);
    expect(h.models.streams[0]?.aborted).toBe(false);
    expect(h.store.messages.list(sessionId).at(-1)).toMatchObject({ content: 'One, two.', status: 'complete' });
  });
});

describe('a client joining mid-reply', () => {
  it('gets the history without the unfinished reply, then its text so far, then the rest', async () => {
    const h = createHarness();
    const first = h.connect('default', 'first');
    const sessionId = await h.prepareStage(first);
    const gate = createGate();
    h.models.enqueue([{ type: 'text', text: 'One, ' }, { type: 'text', text: 'two, ' }, { type: 'gate', gate }, ...reply('three.')]);
    await first.send('Count.');
    await first.waitFor((events) => events.filter((e) => e.event === 'chat_chunk').length === 2);
    const late = h.connect('default', 'late');
    expect(late.events.map((e) => e.event)).toEqual(['system_update', 'sync_state', 'chat_history', 'chat_chunk']);
    expect(late.last('chat_history')?.metadata.history).toMatchObject([
      { role: 'assistant', content: 'Rain lashes the drawbridge as you arrive.' },
      { role: 'user', content: 'Count.' },
    ]);
    expect(late.last('chat_chunk')).toMatchObject({ content: 'One, two, ', metadata: { session_id: sessionId } });
    gate.open();
    await late.waitForEnd();
    expect(late.text()).toBe('One, two, three.');
    expect(first.text()).toBe('One, two, three.');
  });

  it("also gets a reasoning model's thinking so far, before the text so far", async () => {
    const h = createHarness();
    const first = h.connect('default', 'first');
    const sessionId = await h.prepareStage(first);
    const gate = createGate();
    h.models.enqueue([{ type: 'reasoning', text: 'Be ' }, { type: 'reasoning', text: 'brief.' }, { type: 'text', text: 'One, ' }, { type: 'gate', gate }, ...reply('two.')]);
    await first.send('Count.');
    await first.waitFor((events) => events.some((e) => e.event === 'chat_chunk'));
    const late = h.connect('default', 'late');
    expect(late.events.map((e) => e.event)).toEqual(['system_update', 'sync_state', 'chat_history', 'reasoning_chunk', 'chat_chunk']);
    expect(late.last('reasoning_chunk')).toMatchObject({ content: 'Be brief.', metadata: { session_id: sessionId } });
    gate.open();
    await late.waitForEnd();
    expect(late.text()).toBe('One, two.');
  });
});

describe('switching session mid-reply', () => {
  it('stops streaming chunks into the other session, still ends with chat_end and stores the whole reply', async () => {
    const h = createHarness();
    const client = h.connect();
    const first = await h.prepareStage(client);
    const gate = createGate();
    h.models.enqueue([{ type: 'text', text: 'Seen ' }, { type: 'gate', gate }, ...reply('unseen.')]);
    await client.send('Go on.');
    await client.waitFor((events) => events.some((e) => e.event === 'chat_chunk'));
    await client.send('/session new');
    client.take();
    gate.open();
    await client.waitForEnd();
    expect(client.lines()).toEqual(['chat_end', 'sync_state: State synchronized']);
    expect(client.last('chat_end')?.metadata.session_id).toBe(first);
    expect(h.store.messages.list(first).at(-1)).toMatchObject({ content: 'Seen unseen.', status: 'complete' });
  });
});

describe('store failures during a reply', () => {
  it('still sends chat_end and logs the failure when the reply cannot be stored', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    h.store.messages.update = () => {
      throw new Error('disk full');
    };
    await client.send('Hello.');
    await client.waitForEnd();
    expect(client.text()).toBe('The narrator answers.');
    expect(h.logger.entries).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'storing the reply failed', fields: expect.objectContaining({ error: 'Error: disk full' }) }),
    );
  });
});

describe('shutdown', () => {
  it('lets a reply finish within the grace period', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    const gate = createGate();
    h.models.enqueue([{ type: 'text', text: 'Almost' }, { type: 'gate', gate }, ...reply(' done.')]);
    await client.send('Finish.');
    const stopping = h.engine.shutdown({ graceMs: 60_000 });
    gate.open();
    await stopping;
    expect(h.store.messages.list(sessionId).at(-1)).toMatchObject({ content: 'Almost done.', status: 'complete' });
  });

  it('cancels and stores replies still running after the grace period, and refuses new turns', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    h.models.enqueue([{ type: 'text', text: 'Forever' }, { type: 'gate', gate: createGate() }]);
    await client.send('Go.');
    await client.waitFor((events) => events.some((e) => e.event === 'chat_chunk'));
    const stopping = h.engine.shutdown({ graceMs: 1 });
    await client.send('Another.');
    await stopping;
    expect(client.lines()).toContain('system_update: ✗ The engine is shutting down; your message was not sent.');
    expect(client.named('chat_end')).toHaveLength(1);
    expect(h.store.messages.list(sessionId).map((m) => m.content)).not.toContain('Another.');
    expect(h.store.messages.list(sessionId).at(-1)).toMatchObject({ content: 'Forever', status: 'cancelled' });
  });
});
