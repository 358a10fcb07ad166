import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { fallbackEngineCommands, withClientCommands } from '../commands.ts';
import { keyBindings } from '../input/keybindings.ts';
import { derivePalette } from '../palette/palette.ts';
import { syncState } from '../testing/fake-connection.ts';
import { server, stateFrom } from '../testing/states.ts';
import { themes } from '../theme.ts';
import { CommandPalette, paletteHeight } from './CommandPalette.tsx';
import { HelpScreen, helpLines } from './HelpScreen.tsx';

const theme = themes.plain;
const commands = withClientCommands(fallbackEngineCommands);
const lists = stateFrom([server(syncState())]).lists;

function paletteFrame(draft: string, index = 0): string {
  const palette = derivePalette(draft, commands, lists, null);
  if (!palette) throw new Error(`no palette for ${draft}`);
  return render(<CommandPalette palette={palette} index={index} theme={theme} width={100} />).lastFrame() ?? '';
}

describe('CommandPalette', () => {
  it('lists commands with their descriptions and highlights the first', () => {
    const frame = paletteFrame('/');
    expect(frame).toContain('Commands');
    expect(frame).toContain('› /world select <id>');
    expect(frame).toContain('Choose the world to play in');
    expect(frame).toContain('↑↓ move · Enter pick · Tab complete · Esc close');
  });

  it('in a narrow terminal a cut command keeps a space before its description, and the box keeps its height', () => {
    const palette = derivePalette('/wor', commands, lists, null);
    if (!palette) throw new Error('no palette');
    const frame = render(<CommandPalette palette={palette} index={0} theme={theme} width={40} />).lastFrame() ?? '';
    const row = frame.split('\n').find((line) => line.includes('attach_lore')) ?? '';
    expect(row).toMatch(/…\s+Add/);
    const none = derivePalette('/world select zzzz', commands, lists, null);
    if (!none) throw new Error('no palette');
    const empty = render(<CommandPalette palette={none} index={0} theme={theme} width={24} />).lastFrame() ?? '';
    expect(empty.split('\n')).toHaveLength(paletteHeight(none));
  });

  it('shows only matches when filtering', () => {
    const frame = paletteFrame('/rules');
    expect(frame).toContain('/rules add <id>');
    expect(frame).toContain('/rules clear');
    expect(frame).not.toContain('/world select');
  });

  it('lists models with prices per million tokens', () => {
    const frame = paletteFrame('/model ', 1);
    expect(frame).toContain('/model: Models (USD per million tokens)');
    expect(frame).toContain('GPT-4o mini (openai/gpt-4o-mini)');
    expect(frame).toContain('in $0.15 · out $0.60 /M tok');
    expect(frame).toContain('› Claude Sonnet (anthropic/claude-sonnet)');
    expect(frame).toContain('in $3 · out $15 /M tok');
  });

  it('shows the filter and says when nothing matches', () => {
    const frame = paletteFrame('/world select zzzz');
    expect(frame).toContain('filter: zzzz');
    expect(frame).toContain('No match. Enter sends the line as typed.');
  });

  it('lists sessions by their names', () => {
    expect(paletteFrame('/session continue ')).toContain('[eldoria] aria: The tavern door (abc123def456)');
  });
});

describe('HelpScreen', () => {
  it('lists every command and every key binding', () => {
    const lines = helpLines(commands, keyBindings);
    const text = lines.map((l) => `${l.left} ${l.right}`).join('\n');
    for (const command of commands) expect(text).toContain(command.usage);
    for (const binding of keyBindings) expect(text).toContain(binding.label);
  });

  it('renders a window of the lines from the offset', () => {
    const frame = render(<HelpScreen commands={commands} bindings={keyBindings} theme={theme} width={100} height={60} offset={0} />).lastFrame() ?? '';
    expect(frame).toContain('Flower help');
    expect(frame).toContain('Ctrl+J / Alt+Enter');
    expect(frame).toContain('/session continue <id>');
    expect(frame).toContain('/quit');
    const scrolled = render(<HelpScreen commands={commands} bindings={keyBindings} theme={theme} width={100} height={5} offset={3} />).lastFrame() ?? '';
    expect(scrolled).not.toContain('Flower help');
  });
});
