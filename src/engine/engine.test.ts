import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../store/sqlite-store.ts';
import { sampleContent, testWorld } from './testing/fake-content.ts';
import { createHarness } from './testing/harness.ts';
import { ScriptedModels, testModel } from './testing/scripted-models.ts';

describe('handshake', () => {
  it('sends ✓ Engine ready. {status: ok} then sync_state with every key, empty strings when unset', () => {
    const h = createHarness();
    const client = h.connect();
    expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state']);
    expect(client.events[0]).toEqual({ event: 'system_update', content: '✓ Engine ready.', metadata: { status: 'ok' } });
    const sync = client.events[1];
    expect(sync?.content).toBe('State synchronized');
    expect(sync?.metadata).toMatchObject({
      model: '',
      model_confirmed: false,
      world_id: '',
      character_id: '',
      session_id: '',
      active_rules: [],
      available_sessions: [],
      available_worlds: [
        { id: 'castle', name: 'The Castle' },
        { id: 'station', name: 'Orbital Station' },
      ],
      available_characters: [
        { id: 'knight', name: 'Sir Alric' },
        { id: 'thief', name: 'Character thief' },
        { id: 'pilot', name: 'Character pilot' },
      ],
      available_rules: [
        { id: 'grim', name: 'Rule grim' },
        { id: 'humor', name: 'Rule humor' },
        { id: 'nsfw', name: 'Rule nsfw' },
      ],
      available_models: [
        { id: 'scripted/narrator', name: 'narrator', prompt_price: 1, completion_price: 2, provider: 'scripted' },
      ],
      session_parents: {},
    });
  });

  it('lists the command registry in sync_state for help and completion', () => {
    const h = createHarness();
    const sync = h.connect().last('sync_state');
    const commands = sync?.metadata.commands as { name: string; completion: string; takes_argument: boolean }[];
    expect(commands.map((c) => c.name)).toEqual([
      '/model',
      '/world select',
      '/world attach_lore',
      '/character select',
      '/rules add',
      '/rules remove',
      '/rules clear',
      '/nsfw',
      '/session new',
      '/session continue',
      '/session delete',
      '/regenerate',
      '/swipe',
      '/continue',
      '/edit',
      '/delete',
      '/undo',
      '/fork',
      '/note',
      '/hide',
      '/unhide',
      '/roll',
      '/import',
      '/export',
      '/context',
      '/cancel',
      '/help',
    ]);
    expect(commands.find((c) => c.name === '/world select')).toMatchObject({ completion: 'worlds', takes_argument: true });
    expect(commands.find((c) => c.name === '/rules clear')).toMatchObject({ completion: 'none', takes_argument: false });
  });

  it('shows the configured default model until one is picked, unconfirmed', () => {
    const models = new ScriptedModels({ models: [testModel('p/a'), testModel('p/b')], defaultModel: 'p/b' });
    const h = createHarness({ models });
    expect(h.connect().last('sync_state')?.metadata).toMatchObject({ model: 'p/b', model_confirmed: false });
  });

  it('sends chat_history of the active session after the handshake', async () => {
    const h = createHarness();
    const first = h.connect();
    await h.prepareStage(first);
    await first.send('I knock on the gate.');
    await first.waitForEnd();
    const later = h.connect('default', 'later');
    expect(later.events.map((e) => e.event)).toEqual(['system_update', 'sync_state', 'chat_history']);
    expect(later.last('chat_history')?.metadata.history).toMatchObject([
      { role: 'assistant', content: 'Rain lashes the drawbridge as you arrive.' },
      { role: 'user', content: 'I knock on the gate.' },
      { role: 'assistant', content: 'The narrator answers.' },
    ]);
  });

  it('omits context_length when a model does not report one, and includes it when it does', () => {
    const models = new ScriptedModels({ models: [testModel('p/a'), testModel('p/b', { contextLength: 8192 })] });
    const h = createHarness({ models });
    expect(h.connect().last('sync_state')?.metadata.available_models).toEqual([
      { id: 'p/a', name: 'a', prompt_price: 1, completion_price: 2, provider: 'p' },
      { id: 'p/b', name: 'b', prompt_price: 1, completion_price: 2, provider: 'p', context_length: 8192 },
    ]);
  });
});

describe('sync_state sessions', () => {
  it('lists the 15 most recently used sessions of the profile, most recent first, with their parents', () => {
    const h = createHarness();
    for (let i = 0; i < 17; i++) {
      const id = `s${String(i).padStart(11, '0')}`;
      h.store.sessions.create({ id, profileId: 'default', worldId: 'castle', characterId: 'knight', model: '', parentId: null, createdAt: i });
      h.store.sessions.touch(id, 1000 + i);
    }
    h.store.sessions.create({ id: 'other0000000', profileId: 'other', worldId: 'castle', characterId: 'knight', model: '', parentId: null, createdAt: 0 });
    h.store.sessions.create(
      { id: 'child0000000', profileId: 'default', worldId: 'station', characterId: 'pilot', model: '', parentId: 's00000000016', createdAt: 5000, title: 'A branch of the story that goes on and on' },
    );
    h.store.sessions.touch('child0000000', 9000);
    const sync = h.connect().last('sync_state')?.metadata;
    const sessions = sync?.available_sessions as { id: string; name: string }[];
    expect(sessions).toHaveLength(15);
    expect(sessions[0]).toEqual({ id: 'child0000000', name: '[station] pilot: A branch of the story that goe' });
    expect(sessions.slice(1, 3).map((s) => s.id)).toEqual(['s00000000016', 's00000000015']);
    expect(sessions.some((s) => s.id === 'other0000000')).toBe(false);
    expect(sync?.session_parents).toEqual({ child0000000: 's00000000016' });
  });
});

describe('state per profile', () => {
  it('restores world, character, model, rules and the active session in a new engine on the same store', async () => {
    const store = createSqliteStore(':memory:');
    const first = createHarness({ store });
    const client = first.connect();
    const sessionId = await first.prepareStage(client);
    await client.send('/rules add grim');
    await client.send('I wait.');
    await client.waitForEnd();
    await first.engine.shutdown();

    const second = createHarness({ store });
    const again = second.connect();
    expect(again.events.map((e) => e.event)).toEqual(['system_update', 'sync_state', 'chat_history']);
    expect(again.last('sync_state')?.metadata).toMatchObject({
      model: 'scripted/narrator',
      model_confirmed: true,
      world_id: 'castle',
      character_id: 'knight',
      session_id: sessionId,
      active_rules: ['grim'],
      available_sessions: [{ id: sessionId, name: `[castle] knight: I wait.` }],
    });
    expect(again.last('chat_history')?.metadata.history).toHaveLength(3);
  });

  it('keeps profiles apart: a change in one is not seen by another', async () => {
    const h = createHarness();
    const alice = h.connect('alice');
    const bob = h.connect('bob');
    bob.take();
    await alice.send('/world select castle');
    expect(bob.events).toEqual([]);
    expect(h.connect('bob').last('sync_state')?.metadata.world_id).toBe('');
  });

  it('drops a stored active session that no longer exists', () => {
    const store = createSqliteStore(':memory:');
    store.profiles.save('default', {
      model: '',
      modelConfirmed: false,
      worldId: 'castle',
      characterId: 'knight',
      activeRules: [],
      sessionId: 'aaaaaaaaaaaa',
    });
    const h = createHarness({ store });
    const client = h.connect();
    expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state']);
    expect(client.last('sync_state')?.metadata.session_id).toBe('');
  });
});

describe('start-up and live changes', () => {
  it('indexes world lore so a turn can retrieve it, and logs content warnings', () => {
    const h = createHarness({ start: false });
    h.content.change(sampleContent(), [{ file: 'worlds/bad.yaml', problem: 'missing id' }]);
    h.engine.start();
    expect(h.store.lore.count('castle')).toBeGreaterThan(0);
    expect(h.store.catalog.characters().map((c) => c.id).sort()).toEqual(['knight', 'pilot', 'thief']);
    expect(h.store.lore.search('castle', 'golem', 3)[0]?.item.text).toContain('golem');
    expect(h.logger.entries).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: { file: 'worlds/bad.yaml' } }),
    );
  });

  it('tells each client which content files were skipped, after the handshake and on a reload', () => {
    const h = createHarness({ start: false });
    h.content.change(sampleContent(), [{ file: 'worlds/bad.yaml', problem: 'missing id' }]);
    h.engine.start();
    const client = h.connect();
    expect(client.events.map((e) => e.event)).toEqual(['system_update', 'sync_state', 'system_update']);
    expect(client.events[2]?.content).toBe('✗ Some content files have problems, the rest loaded: worlds/bad.yaml: missing id');
    client.take();
    h.content.change(sampleContent(), []);
    expect(client.events.map((e) => e.event)).toEqual(['sync_state']);
    expect(h.connect().events.map((e) => e.event)).toEqual(['system_update', 'sync_state']);
    client.take();
    h.content.change(sampleContent(), [{ file: 'rules/x.yaml', problem: 'rules/x.yaml: bad YAML' }]);
    expect(client.lines()).toEqual(['sync_state: State synchronized', 'system_update: ✗ Some content files have problems, the rest loaded: rules/x.yaml: bad YAML']);
  });

  it('marks replies left streaming by a crash as interrupted at start', async () => {
    const store = createSqliteStore(':memory:');
    const first = createHarness({ store });
    const client = first.connect();
    const sessionId = await first.prepareStage(client);
    const id = store.messages.append({ sessionId, role: 'assistant', content: 'half a rep', characterId: 'knight', status: 'streaming' }).id;
    createHarness({ store });
    expect(store.messages.get(id)).toMatchObject({ status: 'interrupted', content: 'half a rep' });
  });

  it('sends sync_state to every client of every profile when the model list changes', () => {
    const h = createHarness();
    const a = h.connect('a');
    const b = h.connect('b');
    a.take();
    b.take();
    h.models.setModels([testModel('p/new')]);
    for (const client of [a, b]) {
      expect(client.events.map((e) => e.event)).toEqual(['sync_state']);
      expect(client.last('sync_state')?.metadata.available_models).toEqual([
        { id: 'p/new', name: 'new', prompt_price: 1, completion_price: 2, provider: 'p' },
      ]);
    }
  });

  it('reloads content when files change, and keeps the last good content when loading fails', () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    const next = sampleContent();
    h.content.change({ ...next, worlds: new Map([['moon', testWorld('moon', { lore: 'The moon base hums.' })]]) });
    expect(client.last('sync_state')?.metadata.available_worlds).toEqual([{ id: 'moon', name: 'World moon' }]);
    expect(h.store.lore.count('moon')).toBe(1);
    client.take();
    h.content.change(new Error('disk on fire'));
    expect(client.events).toEqual([]);
    expect(h.logger.entries.some((e) => e.level === 'error' && String(e.fields?.error).includes('disk on fire'))).toBe(true);
    expect(h.connect().last('sync_state')?.metadata.available_worlds).toEqual([{ id: 'moon', name: 'World moon' }]);
  });

  it('stops listening to models and content on shutdown', async () => {
    const h = createHarness();
    expect(h.models.listenerCount).toBe(1);
    expect(h.content.watcherCount).toBe(1);
    await h.engine.shutdown();
    expect(h.models.listenerCount).toBe(0);
    expect(h.content.watcherCount).toBe(0);
  });
});
