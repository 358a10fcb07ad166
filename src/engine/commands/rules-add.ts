import type { Command } from './command.ts';
import { findContent } from './lookup.ts';

export const rulesAddCommand: Command = {
  name: '/rules add',
  usage: '/rules add <id>',
  description: 'Activate a rule',
  completion: 'rules',
  takesArgument: true,
  run(ctx, id) {
    const rule = findContent(ctx, 'rule', ctx.content.rules, id);
    if (!rule) return;
    const active = ctx.profile.state.activeRules;
    if (active.includes(rule.id)) {
      ctx.reply(`✓ Rule '${rule.id}' is already active`, { active_rules: [...active] });
      return;
    }
    const { activeRules } = ctx.profile.update({ activeRules: [...active, rule.id] });
    ctx.announce(`✓ Rule '${rule.id}' activated`, { active_rules: [...activeRules] });
    ctx.syncState();
  },
};
