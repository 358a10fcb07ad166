import { describe, expect, it } from 'vitest';
import type { Content } from '../content.ts';
import { fakeEmbeddingModel } from '../retrieval/fake-embedding-model.ts';
import { FakeContent, sampleContent, testWorld } from '../testing/fake-content.ts';
import { createHarness } from '../testing/harness.ts';
import { createGate, reply } from '../testing/scripted-models.ts';

/** The answer shares no word with the question but "the": BM25 alone cannot find it. */
const PIECES = [
  'The lighthouse tax is paid in herring by every village on the bay.',
  'The beacon on Gull Rock is kindled by the old keeper every dusk.',
  'Fishermen mend their nets on the quay when the tide is out.',
  'The duke keeps his silver in a vault beneath the harbour.',
  'Gulls nest on the cliffs above the harbour.',
  'The herring boats sail before dawn.',
];
const QUESTION = 'Who tends the lighthouse lamp at night?';
const ANSWER = 'The beacon on Gull Rock is kindled by the old keeper every dusk.';

function harborContent(): Content {
  const content = sampleContent();
  const world = testWorld('harbor', { name: 'Harbor' });
  return { ...content, worlds: new Map([...content.worlds, ['harbor', world]]) };
}

/** Each piece its own chunk, attached during the session (file lore is cut at ~800 characters). */
async function attachLore(client: { send(prompt: string): Promise<void> }): Promise<void> {
  for (const piece of PIECES) await client.send(`/world attach_lore ${piece}`);
}

describe('hybrid retrieval in a turn', () => {
  it('embeds lore in the background with progress to clients, then finds lore BM25 alone misses', async () => {
    const embeddings = fakeEmbeddingModel();
    const h = createHarness({ content: new FakeContent(harborContent()), embeddings });
    const client = h.connect();
    await h.prepareStage(client, 'harbor');
    await attachLore(client);
    await client.waitFor((events) =>
      events.some((e) => e.event === 'embedding_progress' && e.metadata.kind === 'lore' && e.metadata.done === e.metadata.total),
    );
    const progress = client.named('embedding_progress').at(-1);
    expect(progress?.content).toMatch(/^Embedding lore: \d+\/\d+$/);
    expect(progress?.metadata).toMatchObject({ kind: 'lore', model: 'fake/concepts' });
    expect(progress?.metadata.done).toBe(progress?.metadata.total);

    await client.send(QUESTION);
    await client.waitForEnd();
    expect(h.models.requests[0]?.messages[0]?.content).toContain(ANSWER);
    expect(embeddings.calls).toContainEqual([QUESTION]);
  });

  it('without embeddings the same question misses that lore (the contrast)', async () => {
    const h = createHarness({ content: new FakeContent(harborContent()) });
    const client = h.connect();
    await h.prepareStage(client, 'harbor');
    await attachLore(client);
    await client.send(QUESTION);
    await client.waitForEnd();
    expect(h.models.requests[0]?.messages[0]?.content).not.toContain(ANSWER);
  });

  it('a failing embedding endpoint leaves the turn to BM25', async () => {
    const embeddings = fakeEmbeddingModel();
    embeddings.mode = 'fail';
    const h = createHarness({ content: new FakeContent(harborContent()), embeddings });
    const client = h.connect();
    await h.prepareStage(client, 'harbor');
    await attachLore(client);
    h.models.enqueue(reply('The keeper smiles.'));
    await client.send('Who pays the lighthouse tax?');
    await client.waitForEnd();
    expect(client.text()).toBe('The keeper smiles.');
    expect(h.models.requests[0]?.messages[0]?.content).toContain('The lighthouse tax is paid in herring');
  });

  it('holds the session while the query embeds: a second prompt is refused, /cancel stops the turn', async () => {
    const embeddings = fakeEmbeddingModel();
    const h = createHarness({ content: new FakeContent(harborContent()), embeddings });
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await h.prepareStage(asker, 'harbor');
    embeddings.mode = 'hang';
    const gate = createGate();
    h.models.enqueue([{ type: 'gate', gate }, ...reply('never')]);
    const sending = asker.send(QUESTION);
    other.take();
    await other.send('Me too.');
    expect(other.lines()).toEqual(['system_update: ✗ A reply is still streaming — wait for it or /cancel.']);
    await other.send('/cancel');
    await sending;
    await asker.waitForEnd();
    const messages = h.store.messages.list(sessionId);
    expect(messages.map((m) => `${m.role}:${m.status}:${m.content}`).slice(-2)).toEqual([`user:complete:${QUESTION}`, 'assistant:cancelled:']);
    gate.open();
  });
});
