import type { JSX } from 'react';
import { Box, Text } from 'ink';
import type { Draft } from '../input/editor.ts';
import { visualRows, type VisualRow } from '../input/visual-rows.ts';
import type { Theme } from '../theme.ts';

export const INPUT_PLACEHOLDER = 'How do you respond? (/ for commands)';
export const INPUT_LOCKED_TEXT = 'Narrating...';
/** Lines of the draft shown at once; the view follows the cursor beyond that. */
export const INPUT_MAX_LINES = 6;

/** Columns inside the box: borders and padding take four. */
export function inputColumns(width: number): number {
  return Math.max(2, width - 4);
}

export function inputHeight(draft: Draft, locked: boolean, width: number): number {
  const rows = locked || draft.text === '' ? 1 : Math.min(INPUT_MAX_LINES, visualRows(draft, inputColumns(width)).length);
  return rows + 2;
}

/** The rows to show: all of them, or a window that keeps the cursor in view. */
function visibleWindow(rows: VisualRow[]): VisualRow[] {
  if (rows.length <= INPUT_MAX_LINES) return rows;
  const cursorRow = Math.max(0, rows.findIndex((r) => r.cursor !== null));
  const start = Math.min(Math.max(0, cursorRow - INPUT_MAX_LINES + 1), rows.length - INPUT_MAX_LINES);
  return rows.slice(start, start + INPUT_MAX_LINES);
}

/** Tabs show as one space: the rows were laid out that way (see visual-rows.ts). */
const shown = (text: string): string => text.replace(/\t/g, ' ');

function DraftRow({ row }: { row: VisualRow }): JSX.Element {
  if (row.cursor === null) return <Text wrap="truncate-end">{shown(row.text) || ' '}</Text>;
  const at = row.cursor;
  const under = row.cursorLength > 0 ? row.text.slice(at, at + row.cursorLength) : ' ';
  return (
    <Text wrap="truncate-end">
      {shown(row.text.slice(0, at))}
      <Text inverse>{shown(under)}</Text>
      {shown(row.text.slice(at + row.cursorLength))}
    </Text>
  );
}

export function InputBox({ draft, locked, theme, width }: { draft: Draft; locked: boolean; theme: Theme; width: number }): JSX.Element {
  const borderColor = locked ? theme.muted : theme.accent;
  return (
    <Box width={width} flexDirection="column" borderStyle="round" borderColor={borderColor} paddingX={1}>
      {locked ? (
        <Text color={theme.narrator} italic wrap="truncate-end">
          {INPUT_LOCKED_TEXT} <Text color={theme.muted}>(Esc cancels)</Text>
        </Text>
      ) : null}
      {!locked && draft.text === '' ? (
        <Text wrap="truncate-end">
          <Text inverse> </Text>
          <Text color={theme.muted}>{INPUT_PLACEHOLDER}</Text>
        </Text>
      ) : null}
      {!locked && draft.text !== ''
        ? visibleWindow(visualRows(draft, inputColumns(width))).map((row, i) => <DraftRow key={i} row={row} />)
        : null}
    </Box>
  );
}
