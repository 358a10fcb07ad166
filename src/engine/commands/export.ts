import { shown } from '../events.ts';
import { EXPORT_FORMATS, exportFileName, exportSession, type ExportFormat } from '../transfer/session-export.ts';
import type { Command } from './command.ts';
import { activeSession } from './story-session.ts';

const USAGE = '/export md|jsonl';

/** Writes the active session under `<data dir>/exports/`: a Markdown transcript or a SillyTavern chat. */
export const exportCommand: Command = {
  name: '/export',
  usage: USAGE,
  description: 'Export the session: md (readable transcript) or jsonl (SillyTavern chat) into the data folder',
  completion: 'none',
  takesArgument: true,
  run(ctx, argument) {
    const format = argument.toLowerCase();
    if (!EXPORT_FORMATS.includes(format as ExportFormat)) {
      ctx.reply(`✗ Unknown export format '${shown(argument)}': use md or jsonl. Usage: ${USAGE}`);
      return;
    }
    // A reply still streaming is left out: the export holds what the chat shows.
    const session = activeSession(ctx, false);
    if (!session) return;
    const { files, store, clock } = ctx.runtime.deps;
    if (!files) {
      ctx.reply('✗ This engine has no data folder to export into.');
      return;
    }
    const text = exportSession(store, ctx.content, session, format as ExportFormat);
    const path = files.writeExport(exportFileName(session, format as ExportFormat, clock.now()), text);
    ctx.reply(`✓ Exported to ${path}`, { session_id: session.id });
  },
};
