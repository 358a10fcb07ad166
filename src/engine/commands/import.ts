import { shown } from '../events.ts';
import { applyImport, type ImportOutcome } from '../transfer/apply-import.ts';
import { detectFile, ImportError, KNOWN_FORMATS } from '../transfer/detect.ts';
import { DEFAULT_PROFILE_ID } from '../profile-id.ts';
import type { Command, CommandContext } from './command.ts';

const USAGE = '/import <path> [world <id>]';
const WITH_WORLD = /^([\s\S]*?)\s+world\s+(\S+)$/i;

/**
 * Imports a file on the engine's machine: a character card becomes a world, a lorebook's entries
 * join a world, a SillyTavern chat becomes a session. Only files under the player's home or the
 * data dir's `imports/` folder, up to 20 MB (the TransferFiles port decides).
 */
export const importCommand: Command = {
  name: '/import',
  usage: USAGE,
  description: `Import ${KNOWN_FORMATS}; a lorebook needs 'world <id>'`,
  completion: 'none',
  takesArgument: true,
  run(ctx, argument) {
    const { files, store, random, clock } = ctx.runtime.deps;
    if (!files) {
      ctx.reply('✗ This engine has no data folder to import into.');
      return;
    }
    const match = WITH_WORLD.exec(argument);
    const pathText = unquote((match ? match[1] : argument) ?? '');
    const worldId = match?.[2];
    // Guests of a shared engine (any profile but the owner's) may not read the host's home folder.
    const read = files.readImport(pathText, { guest: ctx.profile.id !== DEFAULT_PROFILE_ID });
    if (!read.ok) {
      ctx.reply(`✗ Cannot import: ${read.problem}. Usage: ${USAGE}`);
      return;
    }
    const { state } = ctx.profile;
    let outcome: ImportOutcome;
    try {
      outcome = applyImport(
        detectFile(read.bytes, read.path),
        {
          store,
          random,
          now: clock.now(),
          files,
          content: ctx.content,
          profileId: ctx.profile.id,
          active: { worldId: state.worldId, characterId: state.characterId, model: state.model || (ctx.runtime.deps.models.defaultModel() ?? '') },
        },
        { worldId },
      );
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      ctx.reply(`✗ Cannot import ${shown(pathText)}: ${error.message}.`);
      return;
    }
    announce(ctx, outcome);
  },
};

function announce(ctx: CommandContext, outcome: ImportOutcome): void {
  if (outcome.kind === 'session') {
    const { session } = outcome;
    ctx.profile.update({ sessionId: session.id, worldId: session.worldId, characterId: session.characterId });
    ctx.announce(`✓ Imported the chat as session ${session.id} (${outcome.messages} messages); it is now active`, { session_id: session.id });
    ctx.syncState();
    ctx.chatHistory(session.id);
    ctx.runtime.afterReply?.(session.id);
    return;
  }
  const warnings = outcome.warnings.length > 0 ? ` Warnings: ${outcome.warnings.slice(0, 3).join('; ')}` : '';
  if (outcome.kind === 'world') {
    const greetings = outcome.greetings > 0 ? `, ${outcome.greetings} alternate greetings (/session new N)` : '';
    ctx.announce(
      `✓ Imported '${outcome.name}' as world ${outcome.worldId} (${outcome.entries} lore entries${greetings}) to ${outcome.path}. Use /world select ${outcome.worldId}.${warnings}`,
    );
  } else {
    ctx.announce(`✓ Added ${outcome.added} lore entries to world ${outcome.worldId} (${outcome.path}).${warnings}`);
  }
  // Reloading tells every client (sync_state); without it, at least this profile hears of the change.
  if (ctx.runtime.reloadContent) ctx.runtime.reloadContent();
  else ctx.syncState();
}

const unquote = (text: string): string => text.trim().replace(/^(["'])(.*)\1$/, '$2');
