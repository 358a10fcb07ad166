import type { JSX } from 'react';
import { Box, Text } from 'ink';
import type { Theme } from '../theme.ts';

/** One line of a full-screen scrolling panel: an entry shows `left` in a column, then `right`. */
export interface PanelLine {
  kind: 'title' | 'heading' | 'entry' | 'note';
  left: string;
  right: string;
}

/** The window of `lines` from `offset` that fits `height`, styled by kind (help, context inspector). */
export function ScrollPanel(props: { lines: PanelLine[]; theme: Theme; width: number; height: number; offset: number; leftWidth: number }): JSX.Element {
  const { theme, width, height, leftWidth } = props;
  const visible = props.lines.slice(props.offset, props.offset + height);
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
