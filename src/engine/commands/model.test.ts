import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { ScriptedModels, testModel } from '../testing/scripted-models.ts';

describe('/model', () => {
  it('hot-swaps to a listed model, confirms it, persists it and tells every client', async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [testModel('p/a'), testModel('p/b')] }) });
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    asker.take();
    other.take();
    await asker.send('/model p/b');
    for (const client of [asker, other]) {
      expect(client.events).toEqual([
        { event: 'system_update', content: 'Hot-swapped model to p/b', metadata: { model: 'p/b', model_confirmed: true } },
      ]);
    }
    expect(h.store.profiles.load('default')).toMatchObject({ model: 'p/b', modelConfirmed: true });
  });

  it('refuses an unknown id, naming the models that exist, only to the asker', async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [testModel('p/a'), testModel('p/b')] }) });
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    asker.take();
    other.take();
    await asker.send('/model nope');
    expect(asker.lines()).toEqual(["system_update: ✗ Unknown model 'nope'. Available: p/a, p/b"]);
    expect(other.events).toEqual([]);
    expect(h.store.profiles.load('default')?.model ?? '').toBe('');
  });

  it('says no provider is configured when no model is listed', async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [] }) });
    const client = h.connect();
    client.take();
    await client.send('/model p/a');
    expect(client.events[0]?.content).toMatch(/^✗ Unknown model 'p\/a'\. no models are listed yet: no provider is configured/);
  });

  it('asks for the argument when it is missing', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/model');
    expect(client.lines()).toEqual(['system_update: ✗ Missing argument for /model. Usage: /model <id>']);
  });
});
