import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../ports.ts';
import { createGate, reply, ScriptedModels } from './scripted-models.ts';

const collect = async (parts: AsyncIterable<StreamPart>) => {
  const seen: StreamPart[] = [];
  for await (const part of parts) seen.push(part);
  return seen;
};

describe('ScriptedModels', () => {
  it('plays queued scripts in order, then the fallback, and records requests', async () => {
    const models = new ScriptedModels().enqueue(reply('one'));
    const signal = new AbortController().signal;
    const first = await collect(models.stream({ modelId: 'm', messages: [{ role: 'user', content: 'hi' }], signal }));
    const second = await collect(models.stream({ modelId: 'm', messages: [], signal }));
    expect(first[0]).toEqual({ type: 'text', text: 'one' });
    expect(second[0]).toEqual({ type: 'text', text: 'The narrator answers.' });
    expect(models.requests[0]?.messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(models.streams.every((s) => s.ended && !s.aborted)).toBe(true);
  });

  it('ends a stream waiting at a gate with an aborted error part when the signal aborts', async () => {
    const models = new ScriptedModels().enqueue([{ type: 'text', text: 'a' }, { type: 'gate', gate: createGate() }, ...reply('b')]);
    const controller = new AbortController();
    const running = collect(models.stream({ modelId: 'm', messages: [], signal: controller.signal }));
    controller.abort();
    const parts = await running;
    expect(parts.map((p) => p.type)).toEqual(['text', 'error']);
    expect(parts[1]).toMatchObject({ kind: 'aborted' });
    expect(models.abortCount).toBe(1);
  });

  it('tells listeners when the model list changes', () => {
    const models = new ScriptedModels();
    let calls = 0;
    const stop = models.onModelsChanged(() => calls++);
    models.setModels([]);
    stop();
    models.setModels([]);
    expect(calls).toBe(1);
  });
});
