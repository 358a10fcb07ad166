import { describe, expect, it } from 'vitest';
import { HISTORY_REASONING_REPLIES } from './state-events.ts';
import { createHarness } from './testing/harness.ts';
import { reply } from './testing/scripted-models.ts';

type Entry = { role: string; content: string; reasoning?: string };

describe('chat_history', () => {
  it("carries a reasoning model's thinking for the newest replies only", async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    const turns = HISTORY_REASONING_REPLIES + 2;
    for (let turn = 1; turn <= turns; turn++) {
      h.models.enqueue([{ type: 'reasoning', text: `thought ${turn}` }, ...reply(`reply ${turn}`)]);
      await client.send(`move ${turn}`);
      await client.waitForEnd();
      client.take();
    }
    client.take();
    await client.send(`/session continue ${sessionId}`);
    const history = client.last('chat_history')?.metadata.history as Entry[];
    const thoughts = history.filter((entry) => entry.reasoning !== undefined);
    expect(thoughts).toHaveLength(HISTORY_REASONING_REPLIES);
    expect(thoughts.at(-1)).toMatchObject({ role: 'assistant', content: `reply ${turns}`, reasoning: `thought ${turns}` });
    expect(thoughts[0]).toMatchObject({ content: 'reply 3', reasoning: 'thought 3' });
    expect(history.filter((entry) => entry.role === 'user').every((entry) => entry.reasoning === undefined)).toBe(true);
  });
});
