import { describe, expect, it } from 'vitest';
import { FrameScheduler } from './frame-scheduler.ts';

describe('FrameScheduler', () => {
  it('starts waiting frames in arrival order, each in its own turn of the event loop', async () => {
    const scheduler = new FrameScheduler();
    const seen: string[] = [];
    // A nextTick queued by a start runs when that start's turn is done: before the next start
    // only if the starts are in separate turns.
    const frames = ['a', 'b', 'c'].map(async (name) => {
      await scheduler.turn();
      seen.push(`start ${name}`);
      process.nextTick(() => seen.push(`after ${name}`));
    });
    expect(scheduler.queued).toBe(3);
    await Promise.all(frames);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['start a', 'after a', 'start b', 'after b', 'start c', 'after c']);
    expect(scheduler.queued).toBe(0);
  });

  it('starts a frame that comes later, after the queue ran empty', async () => {
    const scheduler = new FrameScheduler();
    await scheduler.turn();
    await scheduler.turn();
    expect(scheduler.queued).toBe(0);
  });

  it('runs its beforeStart hook before each frame starts', async () => {
    const seen: string[] = [];
    const scheduler = new FrameScheduler(() => seen.push('flush'));
    await Promise.all(['a', 'b'].map(async (name) => {
      await scheduler.turn();
      seen.push(`start ${name}`);
    }));
    expect(seen).toEqual(['flush', 'start a', 'flush', 'start b']);
  });
});
