import { expect, test } from 'vitest';
import { benchChatView, sampleTranscript } from './bench.ts';

// Figures are not asserted (they depend on the machine); this checks the benchmark runs and
// that its work is what the cache promises.
test('benchChatView measures every figure, re-wrapping one message per stream chunk', () => {
  const result = benchChatView({ messages: 50, width: 80, height: 30, frames: 5 });
  for (const figure of [result.msFirstFrame, result.msPerFrame, result.msPerScrollStep, result.msPerStreamChunk, result.msResize]) {
    expect(Number.isFinite(figure)).toBe(true);
    expect(figure).toBeGreaterThanOrEqual(0);
  }
  expect(result.wrapsPerStreamChunk).toBe(1);
  expect(result.stats.indexRebuilds).toBe(2);
});

test('the sample transcript alternates players and narrators with unique ids', () => {
  const messages = sampleTranscript(6);
  expect(messages.map((m) => m.kind)).toEqual(['user', 'narrator', 'user', 'narrator', 'user', 'narrator']);
  expect(new Set(messages.map((m) => m.id)).size).toBe(6);
});
