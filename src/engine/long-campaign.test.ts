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
    // Each turn waits for its own chat_end (`take` forgets the earlier ones), so no prompt is
    // sent while the previous reply still streams and refused as busy.
    const play = async (prompt: string): Promise<void> => {
      client.take();
      await client.send(prompt);
      await client.waitForEnd();
    };
    await play('I hide the silver key under the blue lantern by the ferry dock.');
    for (let turn = 2; turn < 500; turn++) await play(`Day ${turn}: I ${errands[turn % errands.length]}.`);
    const question = 'Where did I hide the silver key?';
    await play(question);
    const playerMessages = h.models.requests.map((r) => r.messages.at(-1)?.content ?? '');
    expect(new Set(playerMessages.filter((text) => text.startsWith('Day '))).size).toBe(498);

    const request = h.models.requests.findLast((r) => r.messages.at(-1)?.content === question);
    if (!request) throw new Error('the last turn never reached the model');
    const system = request.messages[0]?.content ?? '';
    expect(system).toContain('silver key under the blue lantern');
    // The first exchange is long out of the history window: only memory can have brought it back.
    expect(request.messages.slice(1).some((m) => m.content.includes('blue lantern'))).toBe(false);
    expect(request.messages.length).toBeLessThan(200);
  }, 240_000);
});
