import type { JSX } from 'react';
import { Box, Text } from 'ink';
import type { Theme } from '../theme.ts';
import { PANEL_PADDING, panelRows, type PanelLine, type PanelRow } from './panel-rows.ts';

export type { PanelLine } from './panel-rows.ts';

/** Rows the panel takes at this width: what its scrolling is clamped to. */
export function panelRowCount(lines: readonly PanelLine[], width: number, leftWidth: number): number {
  return panelRows(lines, width, leftWidth).length;
}

function PanelRowText({ row, theme, leftWidth }: { row: PanelRow; theme: Theme; leftWidth: number }): JSX.Element {
  if (row.kind === 'title')
    return (
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>
          {row.left}
        </Text>
        {row.right ? <Text color={theme.muted}> · {row.right}</Text> : null}
      </Text>
    );
  if (row.kind === 'heading')
    return (
      <Text bold color={theme.accent} wrap="truncate-end">
        {row.left}
      </Text>
    );
  if (row.kind === 'note')
    return (
      <Text color={theme.muted} wrap="truncate-end">
        {row.left}
      </Text>
    );
  if (row.kind === 'text') return <Text wrap="truncate-end">{row.left}</Text>;
  if (row.right === '')
    return (
      <Text bold wrap="truncate-end">
        {row.left}
      </Text>
    );
  return (
    <Box>
      <Box width={leftWidth} flexShrink={0}>
        <Text bold wrap="truncate-end">
          {row.left}
        </Text>
      </Box>
      <Text wrap="truncate-end">{row.right}</Text>
    </Box>
  );
}

/** The window of `lines` from row `offset` that fits `height`, wrapped to the width (help, context inspector). */
export function ScrollPanel(props: { lines: PanelLine[]; theme: Theme; width: number; height: number; offset: number; leftWidth: number }): JSX.Element {
  const { theme, width, height } = props;
  const rows = panelRows(props.lines, width, props.leftWidth);
  // A resize can leave the offset past the end: show the last screenful rather than nothing.
  const offset = Math.max(0, Math.min(props.offset, rows.length - height));
  const leftWidth = Math.min(props.leftWidth, Math.max(1, width - PANEL_PADDING));
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1} overflow="hidden">
      {rows.slice(offset, offset + height).map((row, i) => (
        <PanelRowText key={`${offset + i}`} row={row} theme={theme} leftWidth={leftWidth} />
      ))}
    </Box>
  );
}
