import { listNames } from '../events.ts';
import type { Command } from './command.ts';
import { findContent } from './lookup.ts';

/** Deactivates one rule; the others stay (`/rules clear` drops them all). */
export const rulesRemoveCommand: Command = {
  name: '/rules remove',
  usage: '/rules remove <id>',
  description: 'Deactivate one rule',
  completion: 'rules',
  takesArgument: true,
  run(ctx, id) {
    const active = ctx.profile.state.activeRules;
    // A rule whose file was removed can still be active: let the player drop it by id.
    const ruleId = active.includes(id) ? id : findContent(ctx, 'rule', ctx.content.rules, id)?.id;
    if (!ruleId) return;
    if (!active.includes(ruleId)) {
      ctx.reply(`✗ Rule '${ruleId}' is not active. Active: ${listNames(active)}`, { active_rules: [...active] });
      return;
    }
    const { activeRules } = ctx.profile.update({ activeRules: active.filter((rule) => rule !== ruleId) });
    ctx.announce(`✓ Rule '${ruleId}' deactivated`, { active_rules: [...activeRules] });
    ctx.syncState();
  },
};
