import { describe, expect, it } from 'vitest';
import { historyOf } from './story-test-support.ts';
import { sequenceRandom } from '../testing/fakes.ts';
import { createHarness } from '../testing/harness.ts';

// Session ids draw 12 numbers; the dice draw what follows.
const afterSessionId = (...dice: number[]) => sequenceRandom([...Array<number>(12).fill(0.5), ...dice]);

describe('/roll', () => {
  it('rolls with the engine random source, stores a visible system message, tells every client', async () => {
    const h = createHarness({ random: afterSessionId(0.5, 0.0) });
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await h.prepareStage(asker);
    other.take();
    await asker.send('/roll 2d6+3');
    const text = '🎲 Sir Alric rolled 2d6+3: [4, 1] + 3 = 8';
    for (const client of [asker, other]) expect(client.lines()).toEqual([`system_update: ✓ ${text}`, 'chat_history']);
    expect(h.store.messages.list(sessionId).at(-1)).toMatchObject({ role: 'system', content: text });
    const later = h.connect();
    expect(historyOf(later).at(-1)).toEqual({ role: 'system', content: text, id: 2, n: 2 });
  });

  it('binds the narrator to a check: the next turn carries the result before the move', async () => {
    const h = createHarness({ random: afterSessionId(0.95) });
    const client = h.connect();
    await h.prepareStage(client);
    await client.send('/roll d20+2 vs 15 pick the lock');
    expect(client.lines()).toEqual(['system_update: ✓ 🎲 Sir Alric: pick the lock — 1d20+2 vs 15: [20] + 2 = 22 → SUCCESS (natural 20)', 'chat_history']);
    await client.send('I pick the lock.');
    await client.waitForEnd();
    expect(h.models.requests[0]?.messages.at(-1)).toEqual({
      role: 'user',
      content:
        '[Dice] Sir Alric: pick the lock — 1d20+2 vs 15: [20] + 2 = 22 → SUCCESS (natural 20) — SUCCESS: narrate the action succeeding; this result is binding.\n\nI pick the lock.',
    });
    // Only the move right after the roll is bound by it.
    await client.send('I go in.');
    await client.waitForEnd(2);
    expect(h.models.requests[1]?.messages.at(-1)).toEqual({ role: 'user', content: 'I go in.' });
  });

  it('binds a failed check as a failure, and survives /regenerate', async () => {
    const h = createHarness({ random: afterSessionId(0.1) });
    const client = h.connect();
    await h.prepareStage(client);
    await client.send('/roll d20 vs 15 climb');
    await client.send('I climb.');
    await client.waitForEnd();
    const bound = h.models.requests[0]?.messages.at(-1)?.content ?? '';
    expect(bound).toMatch(/^\[Dice\] Sir Alric: climb — 1d20 vs 15: \[3\] = 3 → FAILURE — FAILURE: narrate the action failing/);
    await client.send('/regenerate');
    await client.waitForEnd(2);
    expect(h.models.requests[1]?.messages.at(-1)?.content).toBe(bound);
  });

  it('refuses bad notation naming the valid forms, and a missing session', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/roll d20');
    expect(client.lines()).toEqual([
      'system_update: ✗ No active session: start one with /session new or pick one with /session continue <id>.',
    ]);
    await h.prepareStage(client);
    await client.send('/roll 2x7');
    await client.send('/roll d20 vs 0 jump');
    const lines = client.lines();
    expect(lines[0]).toMatch(/^system_update: ✗ "2x7" is not valid dice notation: .*Valid forms: d20, 2d6\+3.*Usage: \/roll <dice> \[vs <DC> <action>\]$/);
    expect(lines[1]).toMatch(/^system_update: ✗ the difficulty 0 must be between 1 and 1000/);
  });
});
