import type { JSX } from 'react';
import { Box, Text } from 'ink';
import { checklist, connectionLabel } from '../state/selectors.ts';
import type { ViewState } from '../state/types.ts';
import type { Theme } from '../theme.ts';

/** Shown instead of the chat until a session starts: what is set and what to type next. */
export function StageChecklist({ state, theme, width, height, now }: { state: ViewState; theme: Theme; width: number; height: number; now?: number }): JSX.Element {
  const items = checklist(state);
  const reason = state.connection.state === 'reconnecting' ? state.connection.reason : undefined;
  const notices = state.notices.slice(-2);
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1} overflow="hidden">
      <Text bold color={theme.accent}>
        Prepare the stage
      </Text>
      <Text color={theme.muted}>Set each step, then start a session to play.</Text>
      {state.connection.state === 'open' ? null : (
        <Text color={theme.warn} wrap="wrap">
          Not connected to the engine yet: {connectionLabel(state, now)}
        </Text>
      )}
      {state.connection.state !== 'open' && reason ? (
        <Text color={theme.muted} wrap="truncate-end">
          Last try: {reason}
        </Text>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        {items.map((item) => (
          <Box key={item.label}>
            <Box width={14} flexShrink={0}>
              <Text color={item.done ? theme.ok : theme.warn}>
                {item.done ? '✓' : '○'} {item.label}
              </Text>
            </Box>
            {item.done ? <Text wrap="truncate-end">{item.value}</Text> : null}
            {!item.done && !item.typeable ? (
              <Text wrap="wrap" color={theme.warn}>
                {item.hint}
              </Text>
            ) : null}
            {!item.done && item.typeable ? (
              <Text wrap="wrap">
                <Text color={theme.muted}>type </Text>
                <Text bold>{item.hint}</Text>
              </Text>
            ) : null}
          </Box>
        ))}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold color={theme.accent}>
          Recent notices
        </Text>
        {notices.length === 0 ? <Text color={theme.muted}>none yet</Text> : null}
        {notices.map((notice, i) => (
          <Text key={`${state.notices.length}-${i}`} wrap="wrap" color={notice.trimStart().startsWith('✗') ? theme.error : theme.system}>
            {notice}
          </Text>
        ))}
      </Box>
      <Box marginTop={1}>
        <Text color={theme.muted}>Type / to list commands, F1 for help.</Text>
      </Box>
    </Box>
  );
}
