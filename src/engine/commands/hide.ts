import type { Command } from './command.ts';
import { changeHidden } from './hidden-messages.ts';

const USAGE = '/hide <N>|<N-M>';

/**
 * Hides messages from the narrator (SillyTavern's /hide): they stay in the chat, numbered and
 * exported, but leave the prompt, the memories and the summary until `/unhide`.
 */
export const hideCommand: Command = {
  name: '/hide',
  usage: USAGE,
  description: 'Hide message N (or N-M) from the narrator; it stays in the chat',
  completion: 'none',
  takesArgument: true,
  run(ctx, argument) {
    changeHidden(ctx, argument, {
      hidden: true,
      usage: USAGE,
      done: (what, from, to) => `Hid ${what} from the narrator; it stays in the chat (/unhide ${from === to ? from : `${from}-${to}`} shows it again)`,
      already: (what) => `${capitalized(what)} ${what.startsWith('messages') ? 'are' : 'is'} already hidden from the narrator`,
    });
  },
};

const capitalized = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
