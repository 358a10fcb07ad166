import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { commands } from './index.ts';

describe('/help', () => {
  it('lists every registered command with its usage, only to the asker', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    asker.take();
    other.take();
    await asker.send('/help');
    expect(asker.events).toHaveLength(1);
    const text = asker.events[0]?.content ?? '';
    for (const command of commands) expect(text).toContain(command.usage);
    expect(other.events).toEqual([]);
  });
});
