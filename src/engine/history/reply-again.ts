/**
 * Answers again without a new player message: another alternative of a reply (/regenerate,
 * /edit, /swipe past the last) or more of the same reply (/continue). The prompt is assembled
 * the way a story turn's is, from the messages before the answered one.
 */
import type { MessageRecord } from '../ports.ts';
import type { Profile } from '../profile.ts';
import { HISTORY_MESSAGES } from '../prompt/build-prompt.ts';
import type { Runtime } from '../runtime.ts';
import { assemblePrompt } from '../turn/assemble-prompt.ts';
import { ReplyStream, type ReplyTarget } from '../turn/reply-stream.ts';
import { stageIds, type Stage } from '../turn/stage.ts';

/** What the narrator is told when asked to go on with its last reply. */
export const CONTINUE_INSTRUCTION =
  '[Continue your last reply exactly where it stopped, as if it had never been interrupted. Do not repeat or summarise anything already written; write only the continuation.]';

export interface LastExchange {
  /** The player's last message. */
  user: MessageRecord | undefined;
  /** The reply to it (first narrator message after it), if there is one. */
  reply: MessageRecord | undefined;
  /** The last narrator message of the session, answered or not (a greeting). */
  lastReply: MessageRecord | undefined;
}

export function lastExchange(messages: readonly MessageRecord[]): LastExchange {
  const userAt = messages.findLastIndex((m) => m.role === 'user');
  const user = userAt >= 0 ? messages[userAt] : undefined;
  const reply = user ? messages.slice(userAt + 1).find((m) => m.role === 'assistant') : undefined;
  const lastReply = messages.findLast((m) => m.role === 'assistant');
  return { user, reply, lastReply };
}

interface StreamOptions {
  rt: Runtime;
  profile: Profile;
  stage: Stage;
  /** The session's messages, oldest first. */
  messages: readonly MessageRecord[];
}

/** A new alternative of `reply` (or a first reply when there is none) to the player message `user`. */
export function answerAgain(options: StreamOptions, user: MessageRecord, reply: MessageRecord | undefined): ReplyStream {
  const { rt, profile, stage, messages } = options;
  const earlier = messages.filter((m) => m.id < user.id);
  const history = earlier.slice(-HISTORY_MESSAGES);
  const firstTurn = !history.some((m) => m.role === 'user') && earlier.length === history.length;
  const prompt = assemblePrompt(rt, profile, stage, { history, userText: user.content, firstTurn });
  // An empty reply (a failed turn) is not worth keeping as an alternative: answer in its place.
  const target: ReplyTarget = reply && reply.content !== '' ? { kind: 'alternative', message: reply } : { kind: 'new' };
  if (reply && target.kind === 'new') rt.deps.store.messages.delete(reply.id);
  return stream(options, prompt.messages, user, target);
}

/** More text at the end of `reply`, which the narrator sees as its last, unfinished message. */
export function continueReply(options: StreamOptions, reply: MessageRecord, user: MessageRecord | undefined): ReplyStream {
  const { rt, profile, stage, messages } = options;
  const history = messages.filter((m) => m.id <= reply.id).slice(-HISTORY_MESSAGES);
  const prompt = assemblePrompt(rt, profile, stage, { history, userText: CONTINUE_INSTRUCTION, firstTurn: false });
  return stream(options, prompt.messages, user, { kind: 'continue', message: reply });
}

function stream(options: StreamOptions, messages: ReturnType<typeof assemblePrompt>['messages'], user: MessageRecord | undefined, target: ReplyTarget) {
  const { rt, profile, stage } = options;
  return new ReplyStream(rt, {
    profile,
    ...stageIds(stage),
    messages,
    userMessage: user,
    syncAfter: false,
    target,
    historyAfter: true,
  });
}
