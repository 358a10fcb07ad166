import { describe, expect, test } from 'vitest';
import { WrapCache } from './cache.ts';
import type { ChatMessageView } from './types.ts';

const transcript = (n: number): ChatMessageView[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    kind: i % 2 === 0 ? 'user' : 'narrator',
    text: `Message ${i} with **some** words that wrap at narrow widths, *twice* perhaps.`,
  }));

describe('WrapCache', () => {
  test('wraps each message once per width, then serves hits', () => {
    const cache = new WrapCache();
    const messages = transcript(20);
    cache.index(messages, 40);
    expect(cache.stats.wraps).toBe(20);
    expect(cache.stats.parses).toBe(20);
    for (const m of messages) cache.body(m, 40);
    cache.index(messages, 40);
    expect(cache.stats.wraps).toBe(20);
    expect(cache.stats.hits).toBe(20);
  });

  test('a new width wraps again but does not re-parse; going back is still cached', () => {
    const cache = new WrapCache();
    const messages = transcript(10);
    cache.index(messages, 40);
    cache.index(messages, 25);
    expect(cache.stats.wraps).toBe(20);
    expect(cache.stats.parses).toBe(10);
    expect(cache.stats.indexRebuilds).toBe(2);
    cache.index(messages, 40);
    expect(cache.stats.wraps).toBe(20);
  });

  test('streaming a chunk into the last message re-wraps and re-measures only that message', () => {
    const cache = new WrapCache();
    const messages: ChatMessageView[] = [...transcript(50), { id: 'live', kind: 'narrator', text: 'The', streaming: true }];
    cache.index(messages, 30);
    const before = { ...cache.stats };
    let text = 'The';
    for (const chunk of [' door', ' **creaks', '** open', ' slowly, and the hall beyond is dark.']) {
      text += chunk;
      const next = [...messages.slice(0, -1), { id: 'live', kind: 'narrator' as const, text, streaming: true }];
      const index = cache.index(next, 30);
      expect(index.rows).toBe((index.starts[50] as number) + 1 + 1 + cache.body(next[50] as ChatMessageView, 30).length);
    }
    expect(cache.stats.wraps - before.wraps).toBe(4);
    expect(cache.stats.parses - before.parses).toBe(4);
    expect(cache.stats.indexRemeasured - before.indexRemeasured).toBe(4);
    expect(cache.stats.indexRebuilds).toBe(before.indexRebuilds);
  });

  test('appending a message measures only the new one', () => {
    const cache = new WrapCache();
    const messages = transcript(30);
    cache.index(messages, 30);
    const remeasured = cache.stats.indexRemeasured;
    cache.index([...messages, { id: 'new', kind: 'user', text: 'hello' }], 30);
    expect(cache.stats.indexRemeasured - remeasured).toBe(1);
    expect(cache.stats.wraps).toBe(31);
  });

  test('editing a message in the middle re-wraps it alone and shifts the rows after it', () => {
    const cache = new WrapCache();
    const messages = transcript(10);
    const before = cache.index(messages, 30);
    const startsBefore = [...before.starts];
    const edited = messages.map((m, i) => (i === 4 ? { ...m, text: `${m.text}\nand a second line` } : m));
    const after = cache.index(edited, 30);
    expect(cache.stats.wraps).toBe(11);
    expect(after.starts.slice(0, 5)).toEqual(startsBefore.slice(0, 5));
    expect((after.starts[5] as number) - (startsBefore[5] as number)).toBeGreaterThan(0);
  });

  test('deleting a message re-measures from it without re-wrapping the ones after it', () => {
    const cache = new WrapCache();
    const messages = transcript(10);
    cache.index(messages, 30);
    const fresh = new WrapCache();
    const shorter = messages.filter((_, i) => i !== 3);
    expect(cache.index(shorter, 30).starts).toEqual(fresh.index(shorter, 30).starts);
    expect(cache.stats.wraps).toBe(10);
  });

  test('the end of a stream re-renders the message as written', () => {
    const cache = new WrapCache();
    const live: ChatMessageView = { id: 'a', kind: 'narrator', text: 'so **bold', streaming: true };
    expect(cache.body(live, 40)[0]?.map((s) => s.text).join('')).toBe('so bold');
    expect(cache.body({ ...live, streaming: false }, 40)[0]?.map((s) => s.text).join('')).toBe('so **bold');
  });

  test('messages that are gone are forgotten on the next width change', () => {
    const cache = new WrapCache();
    cache.index(transcript(10), 30);
    cache.index(transcript(2), 31);
    const parses = cache.stats.parses;
    cache.index(transcript(10), 31);
    expect(cache.stats.parses - parses).toBe(8);
  });

  test('measures lazily from the bottom: only the rows asked for, plus a batch', () => {
    const cache = new WrapCache();
    const messages = transcript(5000);
    const index = cache.index(messages, 30, 20);
    expect(index.complete).toBe(false);
    expect(index.rows).toBeGreaterThanOrEqual(20);
    expect(cache.stats.wraps).toBeLessThan(100);
    expect(index.first + index.starts.length - 1).toBe(5000);

    const full = cache.index(messages, 30);
    expect(full.complete).toBe(true);
    expect(full.first).toBe(0);
    expect(cache.stats.wraps).toBe(5000);
    expect(full.rows).toBe(new WrapCache().index(messages, 30).rows);
  });

  test('a stream chunk on a partly measured index re-wraps only the streaming message', () => {
    const cache = new WrapCache();
    const history = transcript(5000);
    cache.index([...history, { id: 'live', kind: 'narrator', text: 'a', streaming: true }], 30, 40);
    const wraps = cache.stats.wraps;
    const index = cache.index([...history, { id: 'live', kind: 'narrator', text: 'a longer reply now', streaming: true }], 30, 40);
    expect(cache.stats.wraps - wraps).toBe(1);
    expect(index.complete).toBe(false);
  });

  test('a message inserted above the measured part re-wraps at most the one that shifts in', () => {
    const cache = new WrapCache();
    const messages = transcript(500);
    cache.index(messages, 30, 10);
    const wraps = cache.stats.wraps;
    const inserted = [{ id: 'top', kind: 'system' as const, text: 'hello' }, ...messages];
    const after = cache.index(inserted, 30, 10);
    expect(cache.stats.wraps - wraps).toBeLessThanOrEqual(1);
    const fresh = new WrapCache().index(inserted, 30);
    expect(after.rows).toBe(fresh.rows - (fresh.starts[after.first] as number));
  });
});
