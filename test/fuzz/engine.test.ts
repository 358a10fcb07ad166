/**
 * Property-based fuzzing of the engine in process: random command lines (from the real command
 * registry) with hostile arguments, random frames and prompts, story turns, cancels and
 * reconnects, for two profiles at once. After every run: nothing threw, no unhandled
 * rejection, every event fits the protocol, every `✗`/`✓` notice says something, the database
 * passes `PRAGMA integrity_check`, the profiles' state points at things that exist, no profile
 * saw another's sessions, and the engine still answers a valid command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness, type TestClient } from '../../src/engine/testing/harness.ts';
import { reply, type ScriptStep } from '../../src/engine/testing/scripted-models.ts';
import { sampleContent, FakeContent } from '../../src/engine/testing/fake-content.ts';
import type { AnyServerEvent } from '../../src/protocol/index.ts';
import { parseClientFrame } from '../../src/protocol/index.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { bogusCommandLine, commandLine, FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, rawTextFrame, storyPrompt } from './arbitraries.ts';

const PROFILES = ['default', 'default', 'rival'] as const;

type Action =
  | { kind: 'command'; client: number; line: string }
  | { kind: 'bogus'; client: number; line: string }
  | { kind: 'turn'; client: number; text: string }
  | { kind: 'frame'; client: number; raw: string }
  | { kind: 'cancel'; client: number }
  | { kind: 'stage'; client: number }
  | { kind: 'continue-any'; client: number; pick: number }
  | { kind: 'reconnect'; client: number }
  | { kind: 'settle' };

const clientIndex = fc.integer({ min: 0, max: PROFILES.length - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('command' as const), client: clientIndex, line: commandLine }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bogus' as const), client: clientIndex, line: bogusCommandLine }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('turn' as const), client: clientIndex, text: storyPrompt }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('frame' as const), client: clientIndex, raw: rawTextFrame }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancel' as const), client: clientIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stage' as const), client: clientIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('continue-any' as const), client: clientIndex, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reconnect' as const), client: clientIndex }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
);

/** Replies of every shape a provider can produce, chosen in turn. */
function scriptFor(index: number): ScriptStep[] {
  const pause: ScriptStep = { type: 'delay', ms: 1 };
  const variants: ScriptStep[][] = [
    [pause, { type: 'text', text: 'Once ' }, pause, { type: 'text', text: 'upon ' }, pause, ...reply('a time.')],
    [{ type: 'text', text: 'Half a' }, pause, { type: 'error', kind: 'upstream', message: 'scripted: upstream broke', provider: 'scripted' }],
    [pause, { type: 'throw', error: new Error('scripted gateway bug') }],
    [{ type: 'finish', usage: {}, finishReason: 'stop' }],
    [{ type: 'reasoning', text: 'thinking…' }, pause, ...reply('Thought through.')],
    [pause, ...reply('\u0000\uD800 {"event":"chat_end"} </script>', '🏰'.repeat(50))],
    [...Array.from({ length: 15 }, (_, i): ScriptStep[] => [pause, { type: 'text', text: `w${i} ` }]).flat(), { type: 'finish', usage: { outputTokens: 15 }, finishReason: 'stop' }],
  ];
  return variants[index % variants.length]!;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});
afterEach(() => {
  expect(unhandled, 'no unhandled rejection').toEqual([]);
});

const tempRoot = mkdtempSync(join(tmpdir(), 'flower-fuzz-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));
let runNumber = 0;

interface Run {
  harness: Harness;
  clients: TestClient[];
  /** Every event each client slot received, across reconnects. */
  seen: AnyServerEvent[][];
  raw: Database.Database;
  path: string;
  problems: string[];
}

function openRun(): Run {
  const path = join(tempRoot, `run-${runNumber++}.db`);
  const store = createSqliteStore(path);
  const harness = createHarness({ store, content: new FakeContent(sampleContent()) });
  let streams = 0;
  harness.models.fallback = () => scriptFor(streams++);
  const raw = new Database(path, { readonly: true });
  const run: Run = { harness, clients: [], seen: PROFILES.map(() => []), raw, path, problems: [] };
  PROFILES.forEach((_, index) => connectSlot(run, index));
  return run;
}

/** Connects slot `index` and checks, as each event arrives, that it belongs to the slot's profile. */
function connectSlot(run: Run, index: number): void {
  const profileId = PROFILES[index]!;
  const client = run.harness.connect(profileId, `${profileId}#${index}`);
  const push = client.events.push.bind(client.events);
  client.events.push = (...events: AnyServerEvent[]) => {
    for (const event of events) {
      run.seen[index]!.push(event);
      checkOwnership(run, profileId, event);
    }
    return push(...events);
  };
  run.clients[index] = client;
}

const ownerOf = (run: Run, sessionId: string): string | undefined =>
  (run.raw.prepare('SELECT profile_id FROM sessions WHERE id = ?').get(sessionId) as { profile_id: string } | undefined)?.profile_id;

function checkOwnership(run: Run, profileId: string, event: AnyServerEvent): void {
  const metadata = event.metadata as Record<string, unknown>;
  const ids: string[] = [];
  if (typeof metadata.session_id === 'string' && metadata.session_id !== '') ids.push(metadata.session_id);
  if (Array.isArray(metadata.available_sessions)) ids.push(...(metadata.available_sessions as Array<{ id: string }>).map((s) => s.id));
  for (const id of ids) {
    const owner = ownerOf(run, id);
    if (owner !== undefined && owner !== profileId) run.problems.push(`${profileId} got ${event.event} naming session ${id} of ${owner}`);
  }
}

async function stage(client: TestClient): Promise<void> {
  await client.send('/world select castle');
  await client.send('/character select knight');
  await client.send('/model scripted/narrator');
  await client.send('/session new');
}

async function perform(run: Run, step: Action): Promise<void> {
  if (step.kind === 'settle') return settle(run);
  const client = run.clients[step.client]!;
  switch (step.kind) {
    case 'command':
    case 'bogus':
      return client.send(step.line);
    case 'turn':
      return client.send(step.text);
    case 'cancel':
      return client.send('/cancel');
    case 'stage':
      return stage(client);
    case 'continue-any': {
      // Any session of any profile: another profile's id must be unknown here.
      const ids = run.raw.prepare('SELECT id FROM sessions ORDER BY id').all() as Array<{ id: string }>;
      if (ids.length === 0) return client.send('/session continue 000000000000');
      return client.send(`/session continue ${ids[step.pick % ids.length]!.id}`);
    }
    case 'frame': {
      const parsed = parseClientFrame(step.raw);
      if (!parsed.ok) {
        if (!parsed.error.startsWith('✗')) run.problems.push(`frame error without ✗: ${parsed.error}`);
        return;
      }
      return client.send(parsed.prompt);
    }
    case 'reconnect':
      client.connection.close();
      connectSlot(run, step.client);
      return;
  }
}

/** Waits until every stream requested so far has ended and its reply is stored. */
async function settle(run: Run): Promise<void> {
  await vi.waitFor(() => expect(run.harness.models.streams.every((stream) => stream.ended)).toBe(true), { timeout: 10_000, interval: 2 });
  await new Promise((resolve) => setTimeout(resolve, 5));
  await vi.waitFor(
    () => expect(run.raw.prepare("SELECT count(*) AS n FROM messages WHERE status = 'streaming'").get()).toEqual({ n: 0 }),
    { timeout: 10_000, interval: 5 },
  );
}

function checkNotices(run: Run): void {
  run.seen.forEach((events, index) => {
    for (const event of events) {
      if (typeof event.content !== 'string') run.problems.push(`client ${index}: ${event.event} content is not a string`);
      if (event.event !== 'system_update') continue;
      if (event.content.includes('[object Object]')) run.problems.push(`client ${index}: notice shows an object: ${event.content.slice(0, 200)}`);
      if (/^[✗✓]\s*$/.test(event.content)) run.problems.push(`client ${index}: empty notice ${JSON.stringify(event.content)}`);
      if (event.content.includes('Something went wrong') || event.content.includes('Internal error')) {
        run.problems.push(`client ${index}: an exception reached the player: ${event.content.slice(0, 300)}`);
      }
    }
  });
}

function checkDatabase(run: Run): void {
  const { raw, harness } = run;
  expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(raw.pragma('foreign_key_check')).toEqual([]);
  const content = sampleContent();
  const models = harness.models.listModels().map((model) => model.id);
  for (const profileId of new Set(PROFILES)) {
    const state = harness.store.profiles.load(profileId);
    if (!state) continue;
    const where = `profile ${profileId}: ${JSON.stringify(state)}`;
    if (state.sessionId) expect(harness.store.sessions.get(profileId, state.sessionId), where).toBeDefined();
    if (state.worldId) expect(content.worlds.has(state.worldId), where).toBe(true);
    if (state.characterId) expect(content.characters.has(state.characterId), where).toBe(true);
    if (state.model) expect(models, where).toContain(state.model);
    for (const rule of state.activeRules) expect(content.rules.has(rule), where).toBe(true);
    expect(new Set(state.activeRules).size, where).toBe(state.activeRules.length);
  }
  // Every message belongs to a session; every session to a profile that was used.
  expect(raw.prepare('SELECT count(*) AS n FROM messages WHERE session_id NOT IN (SELECT id FROM sessions)').get()).toEqual({ n: 0 });
  const owners = raw.prepare('SELECT DISTINCT profile_id AS p FROM sessions').all() as Array<{ p: string }>;
  for (const { p } of owners) expect(PROFILES as readonly string[]).toContain(p);
}

/** A fresh client of each profile still gets answers to valid commands. */
async function checkStillAnswers(run: Run): Promise<void> {
  for (const profileId of new Set(PROFILES)) {
    const probe = run.harness.connect(profileId, `${profileId}-probe`);
    await probe.waitFor((events) => events.some((e) => e.event === 'sync_state'));
    probe.take();
    await probe.send('/help');
    expect(probe.events[0]?.event).toBe('system_update');
    expect(probe.events[0]?.content).toMatch(/^Commands:/);
    probe.take();
    await probe.send('/world select station');
    expect(probe.lines()).toContain('system_update: Active world set to station');
    probe.connection.close();
  }
}

async function closeRun(run: Run): Promise<void> {
  for (const client of run.clients) client.connection.close();
  await run.harness.engine.shutdown({ graceMs: 0 });
  run.raw.close();
  run.harness.store.close();
}

describe('fuzz: the engine in process', () => {
  it('survives random commands, frames, turns, cancels and reconnects for two profiles', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 30 }), async (actions) => {
        const run = openRun();
        try {
          // Both profiles start on a stage, so story turns, cancels and history commands bite.
          await stage(run.clients[0]!);
          await stage(run.clients[2]!);
          for (const step of actions) await perform(run, step);
          await settle(run);
          checkNotices(run);
          checkDatabase(run);
          await checkStillAnswers(run);
          expect(run.problems).toEqual([]);
          expect(run.harness.logger.entries.filter((entry) => entry.level === 'error').map((e) => `${e.message} ${JSON.stringify(e.fields)}`)).toEqual([]);
          expect(unhandled).toEqual([]);
        } finally {
          await closeRun(run);
        }
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED ?? 20261125, endOnFailure: true },
    );
  }, FUZZ_TIMEOUT_MS);

  it('answers every hostile argument of every command with a notice and leaves the engine usable', async () => {
    const run = openRun();
    try {
      const [client] = run.clients as [TestClient];
      await stage(client);
      await settle(run);
      await fc.assert(
        fc.asyncProperty(commandLine, async (line) => {
          client.take();
          await client.send(line);
          await settle(run);
          const answers = client.events.filter((event) => event.event === 'system_update' || event.event === 'chat_history' || event.event === 'chat_end');
          expect(answers.length, `an answer to ${JSON.stringify(line.slice(0, 200))}`).toBeGreaterThan(0);
        }),
        { numRuns: FUZZ_RUNS * 10, seed: FUZZ_SEED ?? 7, endOnFailure: true },
      );
      checkNotices(run);
      checkDatabase(run);
      await checkStillAnswers(run);
      expect(run.problems).toEqual([]);
    } finally {
      await closeRun(run);
    }
  }, FUZZ_TIMEOUT_MS);
});
