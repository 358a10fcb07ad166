import { describe, expect, it } from 'vitest';
import { createHarness } from './testing/harness.ts';
import { ScriptedModels, testModel } from './testing/scripted-models.ts';

const errands = ['buy bread at the market', 'mend my boots', 'watch the rain', 'feed the mule', 'sharpen my knife', 'count my coins'];

describe('a 500-turn campaign', () => {
  it('still recalls a fact from its first turn, within the context budget', async () => {
    // A small window, so the first turns fall out of the history long before the end.
    const models = new ScriptedModels({ models: [testModel('scripted/narrator', { contextLength: 2048 })] });
    const h = createHarness({ models });
    const client = h.connect();
    await h.prepareStage(client);
    await client.send('I hide the silver key under the blue lantern by the ferry dock.');
    await client.waitForEnd();
    for (let turn = 2; turn < 500; turn++) {
      await client.send(`Day ${turn}: I ${errands[turn % errands.length]}.`);
      await client.waitForEnd();
    }
    const question = 'Where did I hide the silver key?';
    await client.send(question);
    await client.waitForEnd();

    const request = h.models.requests.findLast((r) => r.messages.at(-1)?.content === question);
    if (!request) throw new Error('the last turn never reached the model');
    const system = request.messages[0]?.content ?? '';
    expect(system).toContain('silver key under the blue lantern');
    // The first exchange is long out of the history window: only memory can have brought it back.
    expect(request.messages.slice(1).some((m) => m.content.includes('blue lantern'))).toBe(false);
    expect(request.messages.length).toBeLessThan(200);
  }, 240_000);
});
