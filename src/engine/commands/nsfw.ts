import type { Command } from './command.ts';

const NSFW_RULE = 'nsfw';

export const nsfwCommand: Command = {
  name: '/nsfw',
  usage: '/nsfw',
  description: `Toggle the '${NSFW_RULE}' rule`,
  completion: 'none',
  takesArgument: false,
  run(ctx) {
    if (!ctx.content.rules.has(NSFW_RULE)) {
      ctx.reply(`✗ There is no '${NSFW_RULE}' rule to toggle. Add rules/${NSFW_RULE}.yaml to the content folder to use /nsfw.`);
      return;
    }
    const active = ctx.profile.state.activeRules;
    const enabling = !active.includes(NSFW_RULE);
    const next = enabling ? [...active, NSFW_RULE] : active.filter((id) => id !== NSFW_RULE);
    ctx.profile.update({ activeRules: next });
    ctx.announce(enabling ? '✓ NSFW mode ENABLED' : '✓ NSFW mode DISABLED', { active_rules: [...next] });
    ctx.syncState();
  },
};
