import { describe, expect, it } from 'vitest';
import { encodeServerEvent, parseClientFrame, parseServerFrame } from './frames.ts';

describe('client frames', () => {
  it('reads {"prompt"} objects and keeps extra keys', () => {
    const parsed = parseClientFrame('{"prompt":"/world select x","client":"new"}');
    expect(parsed).toMatchObject({ ok: true, prompt: '/world select x', frame: { client: 'new' } });
  });
  it('takes a non-JSON text frame as the prompt itself', () => {
    expect(parseClientFrame('I open the door')).toMatchObject({ ok: true, prompt: 'I open the door' });
  });
  it('refuses an object without a string prompt, saying what is valid', () => {
    const parsed = parseClientFrame('{"prompt": 5}');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/^✗ .*"prompt" must be a string/);
    expect(parseClientFrame('[1,2]').ok).toBe(false);
    expect(parseClientFrame('null').ok).toBe(false);
  });
});

describe('server frames', () => {
  it('round-trips an event through the envelope', () => {
    const text = encodeServerEvent({ event: 'chat_end', content: '', metadata: { total_tokens: 12 } });
    expect(JSON.parse(text)).toEqual({ event: 'chat_end', payload: { content: '', metadata: { total_tokens: 12 } } });
    expect(parseServerFrame(text)).toEqual({ ok: true, event: { event: 'chat_end', content: '', metadata: { total_tokens: 12 } } });
  });
  it('reports a known key with the wrong type instead of accepting it', () => {
    const bad = JSON.stringify({ event: 'chat_end', payload: { content: '', metadata: { total_tokens: -1 } } });
    expect(parseServerFrame(bad).ok).toBe(false);
    const nullModel = JSON.stringify({ event: 'system_update', payload: { content: 'x', metadata: { model: null } } });
    expect(parseServerFrame(nullModel).ok).toBe(false);
  });
  it('passes unknown events through for newer servers', () => {
    const text = JSON.stringify({ event: 'embedding_progress', payload: { content: '', metadata: { done: 1 } } });
    expect(parseServerFrame(text)).toMatchObject({ ok: true, event: { event: 'embedding_progress' } });
  });
});
