import { describe, expect, it } from 'vitest';
import { ContextManifest } from '../../protocol/index.ts';
import { createHarness } from '../testing/harness.ts';
import { reply, ScriptedModels, testModel } from '../testing/scripted-models.ts';

describe('/context', () => {
  it("sends the last turn's manifest to the asking client only: a readable summary and the manifest", async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [testModel('p/narrator', { contextLength: 4096 })] }) });
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await h.prepareStage(asker);
    await asker.send('/rules add grim');
    h.models.enqueue(reply('The golem stirs.'));
    await asker.send('I ring the bells to wake the golem.');
    await asker.waitForEnd();
    asker.take();
    other.take();
    await asker.send('/context');
    expect(other.events).toEqual([]);
    expect(asker.events).toHaveLength(1);
    const event = asker.events[0]!;
    expect(event.event).toBe('system_update');
    expect(event.content).toMatch(/^✓ Context of the last turn \(p\/narrator\): \d+ of 3,072 input tokens \(context 4,096, 1,024 kept for the reply\)\./);
    expect(event.content).toContain('rule "Rule grim"');
    expect(event.content).toContain('lore chunk');
    expect(event.content).toMatch(/history 1 messages \(#\d+–#\d+\)/);
    const manifest = ContextManifest.parse(event.metadata.context_manifest);
    expect(event.metadata.session_id).toBe(sessionId);
    expect(manifest).toMatchObject({ session_id: sessionId, model: 'p/narrator', context_length: 4096, reply_budget: 1024 });
    expect(manifest.blocks.map((b) => b.kind)).toEqual(['base_rules', 'rule', 'world_prompt', 'character', 'scene', 'lore', 'closing', 'history', 'user_message']);
    expect(manifest.blocks.find((b) => b.kind === 'rule')?.source).toEqual({ id: 'grim' });
    expect(manifest.blocks.find((b) => b.kind === 'lore')?.source.chunk_id).toEqual(expect.any(Number));
    expect(manifest.total_tokens).toBeLessThanOrEqual(manifest.input_budget);
  });

  it('lists what was left out and why', async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [testModel('p/narrator', { contextLength: 1024 })] }) });
    const client = h.connect();
    await h.prepareStage(client);
    h.models.fallback = reply(Array.from({ length: 150 }, (_, i) => `word${i}`).join(' '));
    for (let turn = 1; turn <= 6; turn++) {
      await client.send(`I search the vault, turn ${turn}.`);
      await client.waitForEnd(turn);
    }
    await h.engine.summarizer.idle();
    client.take();
    await client.send('/context');
    const event = client.events[0]!;
    expect(event.content).toMatch(/\nLeft out: .*older messages \(budget\)/);
    const manifest = ContextManifest.parse(event.metadata.context_manifest);
    expect(manifest.left_out).toContainEqual(
      expect.objectContaining({ kind: 'history', reason: 'budget', detail: expect.stringContaining('outside the history window') }),
    );
  });

  it('says so when there is no session or no turn yet', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/context');
    expect(client.lines()).toEqual(['system_update: ✗ No active session. Start one with /session new, send a message, then /context shows its prompt.']);
    const sessionId = await h.prepareStage(client);
    await client.send('/context');
    expect(client.lines()).toEqual([`system_update: ✗ No turn yet in session ${sessionId}: the context is assembled when you send a message.`]);
  });
});
