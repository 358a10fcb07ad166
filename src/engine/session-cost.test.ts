import { describe, expect, it } from 'vitest';
import { createHarness } from './testing/harness.ts';

describe('session cost in sync_state', () => {
  it('is the reply tokens times the model completion price (USD per million tokens)', async () => {
    const h = createHarness();
    const client = h.connect();
    const sessionId = await h.prepareStage(client);
    await client.send(`/session continue ${sessionId}`);
    expect(client.last('sync_state')?.metadata.session_cost).toBe(0);
    h.models.enqueue([
      { type: 'text', text: 'The gate creaks open.' },
      { type: 'finish', usage: { outputTokens: 500_000 }, finishReason: 'stop' },
    ]);
    await client.send('I push the gate.');
    await client.waitForEnd();
    // The scripted narrator costs 2 USD per million completion tokens.
    await client.send(`/session continue ${sessionId}`);
    expect(client.last('sync_state')?.metadata.session_cost).toBe(1);
  });

  it('is left out when no session is active', () => {
    const h = createHarness();
    expect(h.connect().last('sync_state')?.metadata).not.toHaveProperty('session_cost');
  });
});
