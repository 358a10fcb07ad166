import type { JSX } from 'react';
import { Box, Text } from 'ink';
import type { CommandSpec } from '../../protocol/index.ts';
import type { Binding } from '../input/keybindings.ts';
import type { Theme } from '../theme.ts';

interface HelpLine {
  kind: 'title' | 'heading' | 'entry' | 'note';
  left: string;
  right: string;
}

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
  const { theme, width, height } = props;
  const lines = helpLines(props.commands, props.bindings);
  const visible = lines.slice(props.offset, props.offset + height);
  const leftWidth = Math.min(32, Math.floor(width / 2.5));
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1} overflow="hidden">
      {visible.map((line, i) => {
        const key = `${props.offset + i}`;
        if (line.kind === 'title')
          return (
            <Text key={key} wrap="truncate-end">
              <Text bold color={theme.accent}>
                {line.left}
              </Text>
              <Text color={theme.muted}> · {line.right}</Text>
            </Text>
          );
        if (line.kind === 'heading')
          return (
            <Text key={key} bold color={theme.accent}>
              {line.left}
            </Text>
          );
        if (line.kind === 'note')
          return (
            <Text key={key} color={theme.muted} wrap="truncate-end">
              {line.left}
            </Text>
          );
        return (
          <Box key={key}>
            <Box width={leftWidth} flexShrink={0}>
              <Text bold wrap="truncate-end">
                {line.left}
              </Text>
            </Box>
            <Text wrap="truncate-end">{line.right}</Text>
          </Box>
        );
      })}
    </Box>
  );
}

export function helpLineCount(commands: CommandSpec[], bindings: Binding[]): number {
  return helpLines(commands, bindings).length;
}
