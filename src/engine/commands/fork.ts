import { forkSession } from '../history/fork.ts';
import { visibleMessages } from '../history/numbering.ts';
import type { Command } from './command.ts';
import { activeSession, numberedMessage } from './story-session.ts';

const USAGE = '/fork [N]';

/** A new branch holding messages 1..N of the active session (default: all); it becomes active. */
export const forkCommand: Command = {
  name: '/fork',
  usage: USAGE,
  description: 'Branch the story: a new session with messages 1..N (default: all) of this one',
  completion: 'none',
  takesArgument: true,
  optionalArgument: true,
  run(ctx, argument) {
    // A reply still streaming is not copied: the branch holds what the chat shows.
    const parent = activeSession(ctx, false);
    if (!parent) return;
    const { store, random, clock } = ctx.runtime.deps;
    let upTo = visibleMessages(store, parent.id).length;
    if (argument !== '') {
      const found = numberedMessage(ctx, parent.id, argument, USAGE);
      if (!found) return;
      upTo = found.n;
    }
    const fork = forkSession(store, random, parent, upTo, clock.now());
    ctx.profile.update({ sessionId: fork.id, worldId: fork.worldId, characterId: fork.characterId });
    ctx.announce(`✓ Forked session ${fork.id} from message ${upTo} of ${parent.id}; it is now active`, { session_id: fork.id });
    ctx.syncState();
    ctx.chatHistory(fork.id);
  },
};
