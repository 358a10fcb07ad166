import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { createGate, reply, ScriptedModels, testModel } from '../testing/scripted-models.ts';
import { sampleContent } from '../testing/fake-content.ts';

describe('story turn guards', () => {
  it('without world, character and session answers only ✗ Prepare the stage first', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    await asker.send('/world select castle');
    await asker.send('/character select knight');
    asker.take();
    other.take();
    await asker.send('I look around.');
    expect(asker.events).toEqual([{ event: 'system_update', content: '✗ Prepare the stage first (World, Char, Session).', metadata: {} }]);
    expect(other.events).toEqual([]);
    expect(h.models.streams).toEqual([]);
  });

  it('without any provider points to the config file', async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [] }) });
    const client = h.connect();
    await client.send('/world select castle');
    await client.send('/character select knight');
    await client.send('/session new');
    client.take();
    await client.send('Hello.');
    expect(client.events).toHaveLength(1);
    expect(client.events[0]?.content).toMatch(/^✗ No model is available: no provider is configured.*config file.*\/model <id>/);
    expect(h.models.streams).toEqual([]);
  });

  it('without a chosen model tells how to pick one and lists them', async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [testModel('p/a'), testModel('p/b')] }) });
    const client = h.connect();
    await client.send('/world select castle');
    await client.send('/character select knight');
    await client.send('/session new');
    client.take();
    await client.send('Hello.');
    expect(client.lines()).toEqual(['system_update: ✗ No model selected. Pick one with /model <id>. Available: p/a, p/b']);
  });

  it('refuses a model that is no longer listed', async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [testModel('p/a'), testModel('p/b')] }) });
    const client = h.connect();
    await h.prepareStage(client);
    h.models.setModels([testModel('p/b')]);
    client.take();
    await client.send('Hello.');
    expect(client.lines()).toEqual(["system_update: ✗ Model 'p/a' is not available. Pick one with /model <id>. Available: p/b"]);
  });

  it('uses the configured default model when none was picked', async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [], defaultModel: 'cfg/default' }) });
    const client = h.connect();
    await client.send('/world select castle');
    await client.send('/character select knight');
    await client.send('/session new');
    await client.send('Hello.');
    await client.waitForEnd();
    expect(h.models.requests[0]?.modelId).toBe('cfg/default');
  });

  it('refuses a second turn while a reply streams in the session, storing nothing', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await h.prepareStage(asker);
    const gate = createGate();
    h.models.enqueue([{ type: 'text', text: 'Wait' }, { type: 'gate', gate }, ...reply('.')]);
    await asker.send('First.');
    await asker.waitFor((events) => events.some((e) => e.event === 'chat_chunk'));
    await other.waitFor((events) => events.some((e) => e.event === 'chat_chunk'));
    asker.take();
    other.take();
    await asker.send('Second.');
    expect(asker.lines()).toEqual(['system_update: ✗ A reply is still streaming — wait for it or /cancel.']);
    expect(other.events).toEqual([]);
    expect(h.store.messages.list(sessionId).filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['First.']);
    gate.open();
    await asker.waitForEnd();
  });

  it('returns from handlePrompt once the reply has started, not when it ends', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    const gate = createGate();
    h.models.enqueue([{ type: 'gate', gate }, ...reply('Late.')]);
    await client.send('Speak.');
    expect(h.models.streams).toHaveLength(1);
    expect(client.named('chat_end')).toHaveLength(0);
    gate.open();
    await client.waitForEnd();
    expect(client.text()).toBe('Late.');
  });

  it('refuses an empty prompt', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('   ');
    expect(client.lines()).toEqual(['system_update: ✗ Empty prompt: write what your character does, or type / for commands.']);
  });

  it('says so when the active world disappeared from the content', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    const content = sampleContent();
    const worlds = new Map(content.worlds);
    worlds.delete('castle');
    h.content.change({ ...content, worlds });
    client.take();
    await client.send('Hello.');
    expect(client.lines()).toEqual(["system_update: ✗ The active world 'castle' no longer exists. Pick one with /world select <id>."]);
  });
});

describe('story turn storage and prompt', () => {
  it('commits the user message before the upstream call', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    const seenAtRequest: string[] = [];
    h.models.onRequest = () => {
      for (const m of h.store.messages.list(sessionId)) seenAtRequest.push(`${m.role}:${m.status}:${m.content}`);
    };
    await client.send('I climb the wall.');
    await client.waitForEnd();
    expect(seenAtRequest).toEqual([
      'assistant:complete:Rain lashes the drawbridge as you arrive.',
      'user:complete:I climb the wall.',
      'assistant:streaming:',
    ]);
  });

  it('titles the session from the first user message only, and touches it', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    h.clock.advance(60_000);
    const long = `I creep along the battlements, counting the guards one by one as they pass beneath me.`;
    await client.send(long);
    await client.waitForEnd();
    const session = h.store.sessions.get('default', sessionId);
    expect(session?.title).toBe(`${long.slice(0, 60)}…`);
    expect(session?.lastUsedAt).toBe(h.clock.now());
    expect(client.last('sync_state')?.metadata.available_sessions).toEqual([
      { id: sessionId, name: `[castle] knight: ${long.slice(0, 30)}` },
    ]);
    await client.send('Then I jump.');
    await client.waitForEnd(2);
    expect(h.store.sessions.get('default', sessionId)?.title).toBe(`${long.slice(0, 60)}…`);
  });

  it('assembles the prompt: sections in order, scene on the first turn, retrieved lore and memory', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    await client.send('/rules add grim');
    await client.send('I ring the bells to wake the golem.');
    await client.waitForEnd();
    const first = h.models.requests[0]?.messages ?? [];
    const system = first[0]?.content ?? '';
    const order = [
      'BASE RULES',
      '### UNIVERSAL LAWS ###\nGRIM: the world is dark',
      'CASTLE SYSTEM PROMPT',
      '### THE PLAYER CHARACTER ###\nName: Sir Alric\nPersona: A weary knight',
      '### CURRENT CONTEXT ###\nScene:\nSCENE: the drawbridge',
      'Relevant lore:',
      'stone golem that wakes at the sound of bells',
      'Never break character.',
    ].map((marker) => system.indexOf(marker));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(first.slice(1)).toEqual([
      { role: 'assistant', content: 'Rain lashes the drawbridge as you arrive.' },
      { role: 'user', content: 'I ring the bells to wake the golem.' },
    ]);

    await client.send('Does the golem remember the bells?');
    await client.waitForEnd(2);
    const second = h.models.requests[1]?.messages[0]?.content ?? '';
    expect(second).not.toContain('SCENE: the drawbridge');
    // The first exchange is still in the history, so its memory would only repeat it.
    expect(second).not.toContain('Memories of earlier exchanges:');
    expect(h.store.manifests?.get(h.store.sessions.listRecent('default', 1)[0]?.id ?? '')?.left_out).toContainEqual(
      expect.objectContaining({ kind: 'memory', reason: 'in_history' }),
    );
  });

  it('sends the session messages before the new one, all of them when they fit', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    for (let turn = 1; turn <= 6; turn++) {
      h.models.enqueue(reply(`answer ${turn}`));
      await client.send(`move ${turn}`);
      await client.waitForEnd(turn);
    }
    const last = h.models.requests.at(-1)?.messages ?? [];
    expect(last.slice(1).map((m) => m.content)).toEqual([
      'Rain lashes the drawbridge as you arrive.',
      'move 1', 'answer 1', 'move 2', 'answer 2', 'move 3', 'answer 3', 'move 4', 'answer 4', 'move 5', 'answer 5', 'move 6',
    ]);
  });

  it('finds lore attached during the session', async () => {
    const h = createHarness();
    const client = h.connect();
    await h.prepareStage(client);
    await client.send('/world attach_lore The cellar hides a smuggler tunnel to the harbour.');
    await client.send('I search the cellar for a tunnel.');
    await client.waitForEnd();
    expect(h.models.requests[0]?.messages[0]?.content).toContain('- The cellar hides a smuggler tunnel to the harbour.');
  });
});
