import { DiceError, isCheck, roll, rollCheck } from '../dice/index.ts';
import { checkText, rollText } from '../history/dice-messages.ts';
import { VALID_FORMS } from '../dice/index.ts';
import type { Command } from './command.ts';
import { activeSession } from './story-session.ts';

const USAGE = '/roll <dice> [vs <DC> <action>]';

/**
 * Rolls dice with the engine's random source. The result is stored in the session as a visible
 * system message, shown to every client, and given to the narrator with the next message as a
 * binding result (history/dice-messages.ts).
 */
export const rollCommand: Command = {
  name: '/roll',
  usage: USAGE,
  description: `Roll dice (${VALID_FORMS}); 'd20+2 vs 15 pick the lock' is a check the narrator must honour`,
  completion: 'none',
  takesArgument: true,
  run(ctx, argument) {
    const session = activeSession(ctx, false);
    if (!session) return;
    const { store, random, clock } = ctx.runtime.deps;
    const who = ctx.content.characters.get(session.characterId)?.name ?? 'The player';
    let text: string;
    try {
      text = isCheck(argument) ? checkText(who, rollCheck(argument, random)) : rollText(who, roll(argument, random));
    } catch (error) {
      if (!(error instanceof DiceError)) throw error;
      ctx.reply(`✗ ${error.message}. Usage: ${USAGE}`);
      return;
    }
    store.messages.append({
      sessionId: session.id,
      role: 'system',
      content: text,
      characterId: session.characterId,
      status: 'complete',
      createdAt: clock.now(),
    });
    ctx.announce(`✓ ${text}`, { session_id: session.id });
    // The roll is a numbered message now: clients get the history so `/edit N` numbers match.
    ctx.chatHistory(session.id);
  },
};
