/**
 * A story turn up to the moment its reply starts streaming. The checks and the storing of the
 * player's message are synchronous, so two prompts cannot both pass the "one reply per session"
 * check; when retrieval must wait (a query embedding), a pending reply holds the session's slot.
 */
import type { ClientSink } from '../api.ts';
import { systemUpdate } from '../events.ts';
import type { MessageRecord } from '../ports.ts';
import type { Profile } from '../profile.ts';
import type { Runtime } from '../runtime.ts';
import { type TokenCounter, uncachedTokens } from '../tokens.ts';
import { assemblePrompt, turnWindow } from './assemble-prompt.ts';
import { PendingReply } from './pending-reply.ts';
import { recentHistory } from './recent-history.ts';
import { ReplyStream } from './reply-stream.ts';
import { retrieveForTurn, type Retrieved } from './retrieve.ts';
import { resolveStage, type Stage, stageIds, STILL_STREAMING } from './stage.ts';
import { titleFrom } from './title.ts';
import { turnTokens } from './turn-tokens.ts';

export async function startTurn(rt: Runtime, profile: Profile, asker: ClientSink, text: string): Promise<ReplyStream | undefined> {
  const refuse = (message: string) => {
    profile.sendTo(asker, systemUpdate(message));
    return undefined;
  };
  if (rt.isShuttingDown()) return refuse('✗ The engine is shutting down; your message was not sent.');
  const resolved = resolveStage(rt, profile);
  if (!resolved.ok) return refuse(resolved.message);
  const stage = resolved.stage;
  const { world, character, session, modelId } = stage;
  if (profile.replyIn(session.id)) return refuse(STILL_STREAMING);

  const { store, clock } = rt.deps;
  const tokens = turnTokens(rt.tokens ?? uncachedTokens);
  const { messages: earlier, firstTurn } = recentHistory(store, session.id, turnWindow(rt, modelId).inputBudget, tokens, rt.historyPages);
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
  const turn: Turn = { rt, profile, stage, earlier, firstTurn, userMessage, titled, tokens };
  if (!rt.search) return reply(turn);

  const pending = new PendingReply(session.id);
  profile.trackReply(pending);
  let stream: ReplyStream | undefined;
  try {
    const retrieved = await retrieveForTurn(rt, world.id, session.id, text, pending.signal);
    stream = reply(turn, retrieved);
    if (pending.cancelled) stream.cancel();
    return stream;
  } finally {
    // If assembly threw, the slot must not stay taken.
    if (!stream) profile.untrackReply(pending);
    pending.handOver(stream?.finished ?? Promise.resolve());
  }
}

interface Turn {
  rt: Runtime;
  profile: Profile;
  stage: Stage;
  earlier: MessageRecord[];
  firstTurn: boolean;
  userMessage: MessageRecord;
  titled: boolean;
  tokens: TokenCounter;
}

function reply(turn: Turn, retrieved?: Retrieved): ReplyStream {
  const { rt, profile, stage, userMessage } = turn;
  const { messages } = assemblePrompt(rt, profile, stage, {
    history: turn.earlier,
    userText: userMessage.content,
    firstTurn: turn.firstTurn,
    tokens: turn.tokens,
    ...(retrieved ? { retrieved } : {}),
  });
  return new ReplyStream(rt, {
    profile,
    ...stageIds(stage),
    messages,
    userMessage,
    syncAfter: turn.titled,
  });
}
