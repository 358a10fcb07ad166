import type { JSX } from 'react';
import { Box, Text } from 'ink';
import { connectionLabel, elapsedMs, estimatedCost, formatCost, formatElapsed, sessionTokens, type ScrollView } from '../state/selectors.ts';
import type { ViewState } from '../state/types.ts';
import type { Theme } from '../theme.ts';

function connectionColor(state: ViewState, theme: Theme): string | undefined {
  if (state.connection.state === 'open') return theme.ok;
  if (state.connection.state === 'connecting') return theme.warn;
  return theme.error;
}

/** Tokens, estimated cost and elapsed time on the left; notes and connection on the right. */
export function StatusLine(props: { state: ViewState; theme: Theme; width: number; now: number; scroll?: ScrollView }): JSX.Element {
  const { state, theme, width, now } = props;
  const scroll = props.scroll ?? { offset: 0, newBelow: false };
  const tokens = `${state.stream.tokens} tok`;
  const session = `session ${sessionTokens(state)} tok ≈ ${formatCost(estimatedCost(state))}`;
  const elapsed = formatElapsed(elapsedMs(state, now));
  const note = statusNote(state, scroll);
  return (
    <Box width={width} height={1} justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text color={theme.muted}>{tokens}</Text>
        <Text color={theme.muted}> · </Text>
        <Text color={theme.muted}>{session}</Text>
        <Text color={theme.muted}> · </Text>
        <Text color={theme.muted}>{elapsed}</Text>
        {note ? <Text color={theme.muted}> · </Text> : null}
        {note ? (
          <Text bold color={theme.warn}>
            {note}
          </Text>
        ) : null}
      </Text>
      <Box flexShrink={0} marginLeft={1}>
        <Text color={connectionColor(state, theme)}>● {connectionLabel(state)}</Text>
      </Box>
    </Box>
  );
}

function statusNote(state: ViewState, scroll: ScrollView): string | null {
  if (state.ui.confirmQuit) return 'Esc again quits (the unsent text is discarded); any other key stays';
  if (state.ui.flash) return state.ui.flash;
  if (scroll.newBelow) return '↓ new text below (End to follow)';
  if (scroll.offset > 0) return `↑ scrolled ${scroll.offset} lines (End to follow)`;
  if (state.badFrames > 0) return `${state.badFrames} malformed frame(s) dropped`;
  if (state.embedding) return state.embedding.text;
  return null;
}
