/** What `/hide` and `/unhide` share: a message number or range of the active session, flagged one way. */
import { shown } from '../events.ts';
import { parseMessageRange, rangeText, setHidden } from '../history/hiding.ts';
import { visibleMessages } from '../history/numbering.ts';
import type { CommandContext } from './command.ts';
import { activeSession, storyChanged } from './story-session.ts';

export interface HiddenChange {
  hidden: boolean;
  usage: string;
  /** The notice after a change, e.g. `Hid message 3 from the narrator`. */
  done: (what: string, from: number, to: number) => string;
  /** The answer when every message was that way already. */
  already: (what: string) => string;
}

export function changeHidden(ctx: CommandContext, argument: string, change: HiddenChange): void {
  const session = activeSession(ctx);
  if (!session) return;
  const { store, clock } = ctx.runtime.deps;
  const numbered = visibleMessages(store, session.id);
  const range = parseMessageRange(argument, numbered.length);
  if (!range.ok) {
    ctx.reply(`✗ '${shown(argument, 20)}' ${range.problem}. Usage: ${change.usage}`);
    return;
  }
  const what = rangeText(range.from, range.to);
  const changed = setHidden(store, session.id, numbered.slice(range.from - 1, range.to), change.hidden, clock.now());
  if (changed.length === 0) {
    ctx.reply(`✓ ${change.already(what)}`, { session_id: session.id });
    return;
  }
  storyChanged(ctx, session.id, `✓ ${change.done(what, range.from, range.to)}`);
}
