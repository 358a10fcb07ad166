import type { Command } from './command.ts';
import { changeHidden } from './hidden-messages.ts';

const USAGE = '/unhide <N>|<N-M>';

/** Shows hidden messages to the narrator again: back in the prompt, the memories and the summary. */
export const unhideCommand: Command = {
  name: '/unhide',
  usage: USAGE,
  description: 'Show hidden message N (or N-M) to the narrator again',
  completion: 'none',
  takesArgument: true,
  run(ctx, argument) {
    changeHidden(ctx, argument, {
      hidden: false,
      usage: USAGE,
      done: (what) => `The narrator sees ${what} again`,
      already: (what) => `The narrator already sees ${what}`,
    });
  },
};
