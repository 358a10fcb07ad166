import { isValidId } from '../content.ts';
import { listNames, shown } from '../events.ts';
import type { SessionRecord } from '../ports.ts';
import { RECENT_SESSIONS } from '../state-events.ts';
import type { CommandContext } from './command.ts';

/** The profile's session `id`, or a `✗` to the asker naming the recent sessions. */
export function findSession(ctx: CommandContext, id: string): SessionRecord | undefined {
  if (!isValidId(id)) {
    ctx.reply(`✗ Invalid session id '${shown(id)}': session ids are 12 hex digits.`);
    return undefined;
  }
  const { store } = ctx.runtime.deps;
  const session = store.sessions.get(ctx.profile.id, id);
  if (session) return session;
  const recent = store.sessions.listRecent(ctx.profile.id, RECENT_SESSIONS).map((s) => s.id);
  ctx.reply(`✗ Unknown session '${shown(id)}'. Recent sessions: ${listNames(recent)}`);
  return undefined;
}
