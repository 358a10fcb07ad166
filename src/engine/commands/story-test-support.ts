/** Shared steps of the story-control command tests: a stage with a few finished exchanges. */
import type { HistoryEntry } from '../../protocol/index.ts';
import type { SummaryStore } from '../ports.ts';
import { createHarness, type Harness, type TestClient } from '../testing/harness.ts';
import { reply } from '../testing/scripted-models.ts';

/** Plays each `[player text, narrator reply]` as a finished turn; returns the session id. */
export async function playStory(h: Harness, client: TestClient, turns: ReadonlyArray<readonly [string, string]>): Promise<string> {
  const sessionId = await h.prepareStage(client);
  let ends = 0;
  for (const [text, answer] of turns) {
    h.models.enqueue(reply(answer));
    await client.send(text);
    await client.waitForEnd(++ends);
  }
  client.take();
  return sessionId;
}

/** Runs a command that streams a reply and waits for its `chat_end` and the history after it. */
export async function sendAndSettle(client: TestClient, prompt: string): Promise<void> {
  const from = client.events.length;
  await client.send(prompt);
  await client.waitFor((events) => {
    const fresh = events.slice(from);
    const end = fresh.findIndex((e) => e.event === 'chat_end');
    return end >= 0 && fresh.slice(end).some((e) => e.event === 'chat_history');
  });
}

export const memoryTexts = (h: Harness, sessionId: string): string[] => h.store.memory.list(sessionId).map((m) => m.text);

export const summaries = (h: Harness): SummaryStore => h.store.summaries;

/**
 * The common start of the history-editing tests: two clients of one profile after two finished
 * exchanges, with a stored summary that an edit must drop.
 */
export async function editableStory(): Promise<{ h: Harness; asker: TestClient; other: TestClient; sessionId: string }> {
  const h = createHarness();
  const asker = h.connect('default', 'asker');
  const other = h.connect('default', 'other');
  const sessionId = await playStory(h, asker, [
    ['I wave.', 'The guard nods.'],
    ['I bow.', 'The guard laughs.'],
  ]);
  other.take();
  summaries(h).save({ sessionId, text: 'Summary.', coversUpToMessageId: 3, updatedAt: 0 });
  return { h, asker, other, sessionId };
}

/** The entries of the client's last `chat_history`. */
export function historyOf(client: TestClient): HistoryEntry[] {
  return (client.last('chat_history')?.metadata['history'] ?? []) as HistoryEntry[];
}
