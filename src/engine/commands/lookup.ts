/** Shared id checks for commands: answer `✗` naming what is wrong and what exists. */
import { isValidId } from '../content.ts';
import { listNames, shown } from '../events.ts';
import type { CommandContext } from './command.ts';

/**
 * Finds `id` in `items`, or answers the asker with a `✗` (invalid id, or unknown id plus the
 * ids that exist) and returns undefined.
 */
export function findContent<T>(
  ctx: CommandContext,
  kind: string,
  items: ReadonlyMap<string, T>,
  id: string,
): T | undefined {
  if (!isValidId(id)) {
    ctx.reply(`✗ Invalid ${kind} id '${shown(id)}': ids use only letters, digits, '_' and '-'.`);
    return undefined;
  }
  const item = items.get(id);
  if (item === undefined) {
    ctx.reply(`✗ Unknown ${kind} '${shown(id)}'. Available: ${listNames([...items.keys()])}`);
  }
  return item;
}
