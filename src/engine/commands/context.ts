import { describeManifest } from '../context/describe.ts';
import type { Command } from './command.ts';

export const contextCommand: Command = {
  name: '/context',
  usage: '/context',
  description: "Show what went into the last turn's prompt: each block, its source and tokens, and what was left out",
  completion: 'none',
  takesArgument: false,
  run(ctx) {
    const sessionId = ctx.profile.state.sessionId;
    if (!sessionId) {
      ctx.reply('✗ No active session. Start one with /session new, send a message, then /context shows its prompt.');
      return;
    }
    const manifest = ctx.runtime.deps.store.manifests.get(sessionId);
    if (!manifest) {
      ctx.reply(`✗ No turn yet in session ${sessionId}: the context is assembled when you send a message.`);
      return;
    }
    ctx.reply(describeManifest(manifest), { session_id: sessionId, context_manifest: manifest });
  },
};
