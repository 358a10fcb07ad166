import type { CommandSpec } from '../../protocol/index.ts';
import { toCommandSpec } from '../state-events.ts';
import { cancelCommand } from './cancel.ts';
import { contextCommand } from './context.ts';
import { characterSelectCommand } from './character-select.ts';
import type { Command } from './command.ts';
import { helpCommand } from './help.ts';
import { modelCommand } from './model.ts';
import { nsfwCommand } from './nsfw.ts';
import { rulesAddCommand } from './rules-add.ts';
import { rulesClearCommand } from './rules-clear.ts';
import { rulesRemoveCommand } from './rules-remove.ts';
import { sessionContinueCommand } from './session-continue.ts';
import { sessionDeleteCommand } from './session-delete.ts';
import { sessionNewCommand } from './session-new.ts';
import { worldAttachLoreCommand } from './world-attach-lore.ts';
import { worldSelectCommand } from './world-select.ts';
import { regenerateCommand } from './regenerate.ts';
import { swipeCommand } from './swipe.ts';
import { continueCommand } from './continue.ts';
import { editCommand } from './edit.ts';
import { deleteCommand } from './delete.ts';
import { undoCommand } from './undo.ts';
import { forkCommand } from './fork.ts';
import { rollCommand } from './roll.ts';
import { importCommand } from './import.ts';
import { exportCommand } from './export.ts';
import { noteCommand } from './note.ts';
import { hideCommand } from './hide.ts';
import { unhideCommand } from './unhide.ts';

/** Every command, once: dispatch, `/help` and the clients' completion all come from here. */
export const commands: readonly Command[] = [
  modelCommand,
  worldSelectCommand,
  worldAttachLoreCommand,
  characterSelectCommand,
  rulesAddCommand,
  rulesRemoveCommand,
  rulesClearCommand,
  nsfwCommand,
  sessionNewCommand,
  sessionContinueCommand,
  sessionDeleteCommand,
  regenerateCommand,
  swipeCommand,
  continueCommand,
  editCommand,
  deleteCommand,
  undoCommand,
  forkCommand,
  noteCommand,
  hideCommand,
  unhideCommand,
  rollCommand,
  importCommand,
  exportCommand,
  contextCommand,
  cancelCommand,
  helpCommand,
];

export const commandSpecs = (list: readonly Command[] = commands): CommandSpec[] => list.map(toCommandSpec);
