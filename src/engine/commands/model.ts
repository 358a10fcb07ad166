import { listNames, shown } from '../events.ts';
import type { Command } from './command.ts';

export const modelCommand: Command = {
  name: '/model',
  usage: '/model <id>',
  description: 'Switch the narrator model (ids as listed, <provider>/<model>)',
  completion: 'models',
  takesArgument: true,
  run(ctx, id) {
    const models = ctx.runtime.deps.models.listModels();
    if (!models.some((m) => m.id === id)) {
      const available =
        models.length === 0
          ? 'no models are listed yet: no provider is configured, or the listing is still loading (see providers: in the config file).'
          : `Available: ${listNames(models.map((m) => m.id))}`;
      ctx.reply(`✗ Unknown model '${shown(id)}'. ${available}`);
      return;
    }
    ctx.profile.update({ model: id, modelConfirmed: true });
    ctx.announce(`Hot-swapped model to ${id}`, { model: id, model_confirmed: true });
  },
};
