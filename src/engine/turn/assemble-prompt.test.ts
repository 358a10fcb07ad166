import { describe, expect, it } from 'vitest';
import type { Content, LoreEntry, World } from '../content.ts';
import { requestTokens } from '../context/budget.ts';
import type { ChatRequest } from '../ports.ts';
import { SUMMARY_INSTRUCTIONS } from '../summary/summary-prompt.ts';
import { FakeContent, sampleContent, testWorld } from '../testing/fake-content.ts';
import { createHarness } from '../testing/harness.ts';
import { reply, ScriptedModels, testModel } from '../testing/scripted-models.ts';

const testEntry = (id: string, extra: Partial<LoreEntry> = {}): LoreEntry => ({
  id,
  comment: `Entry ${id}`,
  keys: [],
  secondaryKeys: [],
  selectiveLogic: 'and_any',
  content: `CONTENT OF ${id}`,
  constant: false,
  enabled: true,
  caseSensitive: false,
  wholeWords: true,
  order: 100,
  scanDepth: 2,
  recursive: false,
  extra: {},
  ...extra,
});

function contentWith(world: World): Content {
  const content = sampleContent();
  return { ...content, worlds: new Map([...content.worlds, [world.id, world]]) };
}

const storyRequests = (requests: readonly ChatRequest[]) => requests.filter((r) => r.messages[0]?.content !== SUMMARY_INSTRUCTIONS);
const words = (n: number, word: string): string => Array.from({ length: n }, (_, i) => `${word}${i % 9}`).join(' ');

describe('keyword entries in the prompt', () => {
  const world = testWorld('keep', {
    name: 'The Keep',
    systemPrompt: 'KEEP PROMPT',
    entries: [
      testEntry('bells', { keys: ['bells'], content: 'The bells wake the stone golem.', order: 50 }),
      testEntry('always', { constant: true, content: 'The keep is always cold.' }),
      testEntry('off', { keys: ['bells'], enabled: false, content: 'DISABLED ENTRY' }),
      testEntry('dragon', { keys: ['/dra(g|k)on/i'], content: 'A dragon sleeps under the keep.' }),
    ],
  });

  it('includes entries whose key is in the new message, constant ones always, never disabled ones', async () => {
    const h = createHarness({ content: new FakeContent(contentWith(world)) });
    const client = h.connect();
    const sessionId = await h.prepareStage(client, 'keep');
    await client.send('I ring the BELLS.');
    await client.waitForEnd();
    const system = h.models.requests[0]?.messages[0]?.content ?? '';
    expect(system).toContain('The bells wake the stone golem.');
    expect(system).toContain('The keep is always cold.');
    expect(system).not.toContain('DISABLED ENTRY');
    expect(system).not.toContain('A dragon sleeps');
    // Stable first: the constant entry sits before the current context, the keyword entry in it.
    expect(system.indexOf('The keep is always cold.')).toBeLessThan(system.indexOf('### CURRENT CONTEXT ###'));
    expect(system.indexOf('### CURRENT CONTEXT ###')).toBeLessThan(system.indexOf('Lore entries:\nThe bells wake'));

    const manifest = h.store.manifests?.get(sessionId);
    expect(manifest?.blocks.filter((b) => b.kind === 'entry' || b.kind === 'constant_entry')).toEqual([
      { kind: 'constant_entry', label: 'Entry always', source: { id: 'always', key: '', trigger: 'constant' }, tokens: expect.any(Number) },
      { kind: 'entry', label: 'Entry bells', source: { id: 'bells', key: 'bells', trigger: 'message' }, tokens: expect.any(Number) },
    ]);
  });

  it('keeps firing from recent messages within the scan depth, with regex keys', async () => {
    const h = createHarness({ content: new FakeContent(contentWith(world)) });
    const client = h.connect();
    await h.prepareStage(client, 'keep');
    h.models.enqueue(reply('A DRAKON stirs below.'), reply('It sleeps again.'), reply('Silence.'));
    await client.send('I listen.');
    await client.waitForEnd();
    await client.send('I wait.');
    await client.waitForEnd(2);
    // The narrator's "DRAKON" is within the newest 2 messages for the second turn.
    expect(h.models.requests[1]?.messages[0]?.content).toContain('A dragon sleeps under the keep.');
    await client.send('I leave.');
    await client.waitForEnd(3);
    expect(h.models.requests[2]?.messages[0]?.content).not.toContain('A dragon sleeps under the keep.');
  });
});

describe('macros in prompts', () => {
  it('expands {{char}}, {{user}} and {{random}} in world text, rules, entries, lore and the start message', async () => {
    const world = testWorld('card', {
      name: 'Card World',
      narratorName: 'Seraphina',
      systemPrompt: '{{char}} narrates for {{user}}.',
      scene: 'A {{random:red,red}} door faces {{user}}.',
      startMessage: 'Welcome, {{user}}. I am {{char}}.',
      lore: '{{char}} guards the glade of mirrors.',
      entries: [testEntry('glade', { keys: ['glade'], content: '{{user}} has seen the glade before.' })],
    });
    const content = contentWith(world);
    const rules = new Map(content.rules);
    rules.set('strict', { id: 'strict', name: 'Strict', prompt: '{{char}} never lies to {{user}}.' });
    const h = createHarness({ content: new FakeContent({ ...content, rules }) });
    const client = h.connect();
    const sessionId = await h.prepareStage(client, 'card');
    await client.send('/rules add strict');
    await client.send('I walk into the glade of mirrors.');
    await client.waitForEnd();
    expect(h.store.messages.list(sessionId)[0]?.content).toBe('Welcome, Sir Alric. I am Seraphina.');
    const system = h.models.requests[0]?.messages[0]?.content ?? '';
    for (const expanded of [
      'Seraphina narrates for Sir Alric.',
      'A red door faces Sir Alric.',
      'Seraphina never lies to Sir Alric.',
      'Sir Alric has seen the glade before.',
      'Seraphina guards the glade of mirrors.',
    ]) {
      expect(system).toContain(expanded);
    }
    expect(system).not.toContain('{{');
  });
});

describe('token budget over a long session', () => {
  it('never exceeds the context minus the reply budget, and keeps the newest 10+ messages', async () => {
    const models = new ScriptedModels({ models: [testModel('p/narrator', { contextLength: 4096 })] });
    models.fallback = (request) => (request.messages[0]?.content === SUMMARY_INSTRUCTIONS ? reply('SUMMARY') : reply(words(120, 'reply')));
    const h = createHarness({ models });
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    for (let turn = 1; turn <= 40; turn++) {
      await client.send(`turn ${turn}: ${words(40, 'move')}`);
      await client.waitForEnd(turn);
    }
    const requests = storyRequests(h.models.requests);
    expect(requests).toHaveLength(40);
    for (const request of requests) expect(requestTokens(request.messages)).toBeLessThanOrEqual(4096 - 1024);
    const last = requests.at(-1)?.messages ?? [];
    const history = last.slice(1, -1);
    expect(history.length).toBeGreaterThanOrEqual(10);
    const stored = h.store.messages.list(sessionId).slice(0, -2);
    expect(history.map((m) => m.content)).toEqual(stored.slice(-history.length).map((m) => m.content));
    const manifest = h.store.manifests?.get(sessionId);
    expect(manifest).toMatchObject({ context_length: 4096, reply_budget: 1024, input_budget: 3072, total_tokens: requestTokens(last) });
    expect(manifest?.left_out).toContainEqual(expect.objectContaining({ kind: 'history', reason: 'budget' }));
    await h.engine.summarizer.idle();
  });
});
