import type { JSX } from 'react';
import type { CommandSpec } from '../../protocol/index.ts';
import type { Binding } from '../input/keybindings.ts';
import type { Theme } from '../theme.ts';
import { panelRowCount, ScrollPanel, type PanelLine } from './ScrollPanel.tsx';

type HelpLine = PanelLine;

/** Every key (from the keybinding table) and every command (from the engine's list), as lines. */
export function helpLines(commands: CommandSpec[], bindings: Binding[]): HelpLine[] {
  const lines: HelpLine[] = [{ kind: 'title', left: 'Flower help', right: 'Esc, F1 or Enter closes · Up/Down/PgUp/PgDn scroll' }];
  for (const group of ['Input', 'Lists', 'Chat', 'App'] as const) {
    lines.push({ kind: 'heading', left: `Keys: ${group}`, right: '' });
    for (const binding of bindings.filter((b) => b.group === group)) lines.push({ kind: 'entry', left: binding.label, right: binding.description });
  }
  lines.push({ kind: 'heading', left: 'Commands', right: '' });
  for (const command of commands) lines.push({ kind: 'entry', left: command.usage, right: command.description });
  lines.push({ kind: 'note', left: 'Anything not starting with / is your turn in the story.', right: '' });
  lines.push({ kind: 'note', left: 'Mouse wheel scrolling captures the mouse: hold Shift to select text in most terminals,', right: '' });
  lines.push({ kind: 'note', left: 'or start Flower with FLOWER_NO_MOUSE=1 to leave the mouse to the terminal.', right: '' });
  return lines;
}

export function HelpScreen(props: {
  commands: CommandSpec[];
  bindings: Binding[];
  theme: Theme;
  width: number;
  height: number;
  offset: number;
}): JSX.Element {
  const lines = helpLines(props.commands, props.bindings);
  return <ScrollPanel lines={lines} theme={props.theme} width={props.width} height={props.height} offset={props.offset} leftWidth={helpLeftWidth(props.width)} />;
}

const helpLeftWidth = (width: number): number => Math.min(32, Math.floor(width / 2.5));

/** Screen rows of the help at this width (long descriptions wrap). */
export function helpRowCount(commands: CommandSpec[], bindings: Binding[], width: number): number {
  return panelRowCount(helpLines(commands, bindings), width, helpLeftWidth(width));
}
