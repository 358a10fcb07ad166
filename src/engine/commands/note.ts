import { shown } from '../events.ts';
import type { Command } from './command.ts';
import { activeSession } from './story-session.ts';

const USAGE = '/note [text|clear]';
/** A note is a short standing instruction; this keeps a pasted novel out of every request. */
export const MAX_NOTE_CHARS = 4_000;

/**
 * The active session's author's note (SillyTavern's Author's Note): a standing instruction the
 * narrator gets with every turn, just before the player's message. `/note` shows it, `/note
 * <text>` sets it, `/note clear` removes it. It belongs to the session: forks copy it, exports
 * carry it.
 */
export const noteCommand: Command = {
  name: '/note',
  usage: USAGE,
  description: "Set the author's note, a standing instruction to the narrator (alone: show it; clear: remove it)",
  completion: 'none',
  takesArgument: true,
  optionalArgument: true,
  run(ctx, argument) {
    // A reply streaming meanwhile is not changed: the note counts from the next turn on.
    const session = activeSession(ctx, false);
    if (!session) return;
    const { sessions } = ctx.runtime.deps.store;
    const current = sessions.note(session.id);
    if (argument === '') {
      const answer = current === '' ? "✓ This session has no author's note. Set one with /note <text>." : `✓ Author's note: ${current}`;
      ctx.reply(answer, { session_id: session.id, session_note: current });
      return;
    }
    if (argument.toLowerCase() === 'clear') {
      if (current === '') {
        ctx.reply("✓ This session has no author's note to clear.", { session_id: session.id, session_note: '' });
        return;
      }
      sessions.setNote(session.id, '');
      ctx.announce("✓ Author's note cleared", { session_id: session.id, session_note: '' });
      ctx.syncState();
      return;
    }
    const length = Array.from(argument).length;
    if (length > MAX_NOTE_CHARS) {
      ctx.reply(`✗ The author's note is ${length.toLocaleString('en-US')} characters; it may be at most ${MAX_NOTE_CHARS.toLocaleString('en-US')}. Usage: ${USAGE}`);
      return;
    }
    sessions.setNote(session.id, argument);
    ctx.announce(`✓ Author's note set: ${shown(argument)}`, { session_id: session.id, session_note: argument });
    ctx.syncState();
  },
};
