import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { commands } from './index.ts';
import { resolveCommand } from './dispatch.ts';

describe('resolveCommand', () => {
  it('splits on the first two spaces and prefers the two-word command', () => {
    expect(resolveCommand(commands, '/world select castle')).toMatchObject({ command: { name: '/world select' }, argument: 'castle' });
    expect(resolveCommand(commands, '/world attach_lore a b  c\nd')).toMatchObject({
      command: { name: '/world attach_lore' },
      argument: 'a b  c\nd',
    });
    expect(resolveCommand(commands, '/model openrouter/x/y')).toMatchObject({ command: { name: '/model' }, argument: 'openrouter/x/y' });
    expect(resolveCommand(commands, '/cancel')).toMatchObject({ command: { name: '/cancel' }, argument: '' });
  });
  it('ignores case in command words and extra spacing', () => {
    expect(resolveCommand(commands, '  /World   SELECT   castle ')).toMatchObject({ command: { name: '/world select' }, argument: 'castle' });
  });
  it('finds nothing for unknown commands', () => {
    expect(resolveCommand(commands, '/dance')).toBeUndefined();
    expect(resolveCommand(commands, '/world fly x')).toBeUndefined();
  });
});

describe('dispatching', () => {
  it('answers an unknown command with ✗ naming it and listing the valid ones, only to the asker', async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    asker.take();
    other.take();
    await asker.send('/dance wildly');
    expect(asker.lines()).toEqual([
      `system_update: ✗ Unknown command '/dance'. Valid commands: ${commands.map((c) => c.name).join(', ')}`,
    ]);
    expect(other.events).toEqual([]);
  });

  it('names the subcommands of a known family', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send('/world fly castle');
    await client.send('/world');
    await client.send('/session');
    expect(client.lines()).toEqual([
      "system_update: ✗ Unknown command '/world fly'. Use: /world select <id>, /world attach_lore <text>",
      "system_update: ✗ '/world' needs a subcommand. Use: /world select <id>, /world attach_lore <text>",
      "system_update: ✗ '/session' needs a subcommand. Use: /session new [N], /session continue <id>, /session delete <id>",
    ]);
  });

  it('answers a command that throws with ✗ instead of crashing', async () => {
    const h = createHarness();
    const client = h.connect();
    await client.send('/world select castle');
    client.take();
    h.store.close();
    await client.send('/world attach_lore Something new.');
    expect(client.events).toHaveLength(1);
    expect(client.events[0]?.content).toMatch(/^✗ Something went wrong handling that: .*Details are in the engine log\.$/);
  });
});

describe('echoing client text', () => {
  it('shortens a huge unknown id in the answer', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send(`/world select ${'a'.repeat(10_000)}`);
    expect(client.events[0]?.content).toBe(`✗ Invalid world id '${'a'.repeat(80)}…': ids use only letters, digits, '_' and '-'.`);
  });
});
