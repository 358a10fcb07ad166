import type { JSX } from 'react';
import { Box, Text } from 'ink';
import { sourceTitles, type Palette } from '../palette/palette.ts';
import type { Theme } from '../theme.ts';

/** Entries shown at once; the window follows the highlight. */
export const PALETTE_MAX_ROWS = 8;

export function paletteHeight(palette: Palette | null): number {
  if (!palette) return 0;
  // Title, rows (or the "no match" line), footer, borders.
  return Math.min(PALETTE_MAX_ROWS, Math.max(1, palette.items.length)) + 4;
}

interface Row {
  key: string;
  label: string;
  detail: string;
}

function rowsOf(palette: Palette): Row[] {
  if (palette.mode === 'commands') return palette.items.map((c) => ({ key: c.name, label: c.usage, detail: c.description }));
  return palette.items.map((item) => ({
    key: item.id,
    label: item.name === item.id ? item.id : `${item.name} (${item.id})`,
    detail: item.detail,
  }));
}

function title(palette: Palette): string {
  if (palette.mode === 'commands') return 'Commands';
  const filter = palette.query.trim() ? ` · filter: ${palette.query.trim()}` : ' · type to filter';
  return `${palette.command.name}: ${sourceTitles[palette.source]}${filter}`;
}

export function CommandPalette({ palette, index, theme, width }: { palette: Palette; index: number; theme: Theme; width: number }): JSX.Element {
  const rows = rowsOf(palette);
  const selected = Math.min(index, Math.max(0, rows.length - 1));
  const start = Math.min(Math.max(0, selected - PALETTE_MAX_ROWS + 1), Math.max(0, rows.length - PALETTE_MAX_ROWS));
  const visible = rows.slice(start, start + PALETTE_MAX_ROWS);
  const labelWidth = Math.min(Math.max(...visible.map((r) => r.label.length), 8) + 2, Math.floor(width / 2));
  return (
    <Box width={width} flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold color={theme.accent} wrap="truncate-end">
        {title(palette)}
      </Text>
      {rows.length === 0 ? (
        <Text color={theme.muted} wrap="truncate-end">
          No match. Enter sends the line as typed.
        </Text>
      ) : null}
      {visible.map((row, i) => {
        const isSelected = start + i === selected;
        return (
          <Box key={row.key}>
            {/* A cut label keeps a column of space before its description. */}
            <Box width={labelWidth + 2} flexShrink={0} paddingRight={1}>
              <Text inverse={isSelected} bold={isSelected} color={isSelected ? theme.accent : undefined} wrap="truncate-end">
                {isSelected ? '› ' : '  '}
                {row.label}
              </Text>
            </Box>
            <Text color={theme.muted} wrap="truncate-end">
              {row.detail}
            </Text>
          </Box>
        );
      })}
      <Text color={theme.muted} wrap="truncate-end">
        ↑↓ move · Enter pick · Tab complete · Esc close{rows.length > PALETTE_MAX_ROWS ? ` · ${selected + 1}/${rows.length}` : ''}
      </Text>
    </Box>
  );
}
