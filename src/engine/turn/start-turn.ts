/**
 * A story turn up to the moment its reply starts streaming. Everything here is synchronous, so
 * two prompts cannot both pass the "one reply per session" check.
 */
import type { ClientSink } from '../api.ts';
import type { Rule } from '../content.ts';
import { systemUpdate } from '../events.ts';
import type { ChatMessage, MessageRecord } from '../ports.ts';
import type { Profile } from '../profile.ts';
import { buildPrompt, HISTORY_MESSAGES } from '../prompt/build-prompt.ts';
import type { Runtime } from '../runtime.ts';
import { ReplyStream } from './reply-stream.ts';
import { retrieve } from './retrieve.ts';
import { resolveStage, STILL_STREAMING } from './stage.ts';
import { titleFrom } from './title.ts';

export function startTurn(rt: Runtime, profile: Profile, asker: ClientSink, text: string): ReplyStream | undefined {
  const refuse = (message: string) => {
    profile.sendTo(asker, systemUpdate(message));
    return undefined;
  };
  if (rt.isShuttingDown()) return refuse('✗ The engine is shutting down; your message was not sent.');
  const resolved = resolveStage(rt, profile);
  if (!resolved.ok) return refuse(resolved.message);
  const { world, character, session, modelId } = resolved.stage;
  if (profile.replyIn(session.id)) return refuse(STILL_STREAMING);

  const { store, clock, logger } = rt.deps;
  const earlier = store.messages.recent(session.id, HISTORY_MESSAGES);
  const firstTurn = !earlier.some((m) => m.role === 'user') && store.messages.count(session.id) === earlier.length;
  const titled = session.title === '';
  // The player's words are committed before anything goes upstream.
  const userMessage: MessageRecord = store.transaction(() => {
    const now = clock.now();
    const stored = store.messages.append({
      sessionId: session.id,
      role: 'user',
      content: text,
      characterId: character.id,
      status: 'complete',
      model: modelId,
      createdAt: now,
    });
    if (titled) store.sessions.setTitle(session.id, titleFrom(text));
    store.sessions.touch(session.id, now);
    return stored;
  });

  const { lore, memories } = retrieve(store, logger, world.id, session.id, text);
  const content = rt.content();
  const activeRules = profile.state.activeRules
    .map((id) => content.rules.get(id))
    .filter((rule): rule is Rule => rule !== undefined);
  const messages = buildPrompt({
    systemRules: content.systemRules,
    activeRules,
    world,
    character,
    firstTurn,
    lore,
    memories,
    history: earlier
      .filter((m) => m.role !== 'system')
      .map((m): ChatMessage => ({ role: m.role, content: m.content })),
    userMessage: text,
  });
  return new ReplyStream(rt, {
    profile,
    worldId: world.id,
    characterId: character.id,
    sessionId: session.id,
    modelId,
    messages,
    userMessage,
    syncAfter: titled,
  });
}
