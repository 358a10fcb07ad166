import type { JSX } from 'react';
import { Box, Text } from 'ink';
import { connectionLabel, isReplyRunning, nameOf } from '../state/selectors.ts';
import type { ViewState } from '../state/types.ts';
import type { Theme } from '../theme.ts';

/** Below this many columns the sidebar hides and the chat takes the full width. */
export const SIDEBAR_MIN_COLUMNS = 80;
export const SIDEBAR_WIDTH = 28;

export function sidebarShown(columns: number): boolean {
  return columns >= SIDEBAR_MIN_COLUMNS;
}

function Field({ label, value, theme }: { label: string; value: string; theme: Theme }): JSX.Element {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold color={theme.accent}>
        {label}
      </Text>
      <Text wrap="truncate-end">{value}</Text>
    </Box>
  );
}

export function Sidebar({ state, theme, height }: { state: ViewState; theme: Theme; height: number }): JSX.Element {
  const { stage, lists } = state;
  const status = state.connection.state !== 'open' ? connectionLabel(state) : isReplyRunning(state) ? 'narrating…' : stage.status || 'ok';
  const rules = stage.activeRules.length > 0 ? stage.activeRules.map((id) => `• ${nameOf(lists.rules, id)}`).join('\n') : 'none';
  return (
    <Box flexDirection="column" width={SIDEBAR_WIDTH} height={height} borderStyle="round" borderColor={theme.muted} paddingX={1} overflow="hidden">
      <Field label="Status" value={status} theme={theme} />
      <Field label="World" value={stage.worldId ? nameOf(lists.worlds, stage.worldId) : '—'} theme={theme} />
      <Field label="Character" value={stage.characterId ? nameOf(lists.characters, stage.characterId) : '—'} theme={theme} />
      <Box flexDirection="column">
        <Text bold color={theme.accent}>
          Active rules
        </Text>
        <Text>{rules}</Text>
      </Box>
    </Box>
  );
}
