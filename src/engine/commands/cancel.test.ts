import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { createGate, reply } from '../testing/scripted-models.ts';

describe('/cancel', () => {
  it('stops the stream: notice, then one chat_end, no chunk after; the partial reply is kept as cancelled', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await h.prepareStage(asker);
    // A first turn titles the session (and ends with a sync_state); cancel a later one.
    await asker.send('I look around.');
    await asker.waitForEnd();
    asker.take();
    other.take();
    const gate = createGate();
    h.models.enqueue([{ type: 'text', text: 'The golem ' }, { type: 'text', text: 'stirs' }, { type: 'gate', gate }, ...reply(' and roars.')]);
    await asker.send('I ring the bell.');
    await asker.waitFor((events) => events.filter((e) => e.event === 'chat_chunk').length === 2);
    await asker.send('/cancel');
    gate.open();
    for (const client of [asker, other]) {
      await client.waitForEnd();
      const names = client.events.map((e) => e.event);
      const notice = client.events.findIndex((e) => e.content === '✗ Stream cancelled by user.');
      expect(notice).toBeGreaterThan(-1);
      expect(names.slice(notice)).toEqual(['system_update', 'chat_end']);
      expect(client.text()).toBe('The golem stirs');
    }
    expect(h.models.streams.map((s) => s.request.signal.aborted)).toEqual([false, true]);
    const messages = h.store.messages.list(sessionId);
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', content: 'The golem stirs', status: 'cancelled' });
    expect(messages.at(-2)).toMatchObject({ role: 'user', content: 'I ring the bell.' });
    expect(asker.last('chat_end')?.metadata.total_tokens).toBeGreaterThan(0);
  });

  it('stops a stream stuck on a stalled upstream', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    h.models.enqueue([{ type: 'text', text: 'Silence' }, { type: 'gate', gate: createGate() }]);
    await client.send('Hello?');
    await client.waitFor((events) => events.some((e) => e.event === 'chat_chunk'));
    await client.send('/cancel');
    expect(client.named('chat_end')).toHaveLength(1);
  });

  it('says there is nothing to cancel when no reply streams, only to the asker', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    asker.take();
    other.take();
    await asker.send('/cancel');
    expect(asker.lines()).toEqual(['system_update: ✗ Nothing to cancel: no reply is streaming.']);
    expect(other.events).toEqual([]);
  });
});
