import type { Command } from './command.ts';

export const rulesClearCommand: Command = {
  name: '/rules clear',
  usage: '/rules clear',
  description: 'Deactivate all rules',
  completion: 'none',
  takesArgument: false,
  run(ctx) {
    ctx.profile.update({ activeRules: [] });
    ctx.announce('✓ All active rules cleared', { active_rules: [] });
    ctx.syncState();
  },
};
