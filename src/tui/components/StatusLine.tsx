import type { JSX } from 'react';
import { Box, Text } from 'ink';
import { displayWidth } from '../chat/width.ts';
import { connectionLabel, elapsedMs, estimatedCost, formatCost, formatElapsed, sessionTokens, type ScrollView } from '../state/selectors.ts';
import type { ViewState } from '../state/types.ts';
import type { Theme } from '../theme.ts';

const SEPARATOR = ' · ';

function connectionColor(state: ViewState, theme: Theme): string | undefined {
  if (state.connection.state === 'open') return theme.ok;
  if (state.connection.state === 'connecting') return theme.warn;
  return theme.error;
}

/**
 * The figures that fit in `room` beside the note: a note (a flash, "new text below", a quit
 * warning) says something the player must read now, so whole figures give way to it, the
 * least useful first, rather than the note being cut.
 */
export function fitFigures(figures: { tokens: string; session: string; elapsed: string }, note: string | null, room: number): string[] {
  const kept = [figures.tokens, figures.session, figures.elapsed];
  const width = (): number => displayWidth([...kept, ...(note ? [note] : [])].join(SEPARATOR));
  for (const drop of [figures.session, figures.tokens, figures.elapsed]) {
    if (width() <= room) break;
    kept.splice(kept.indexOf(drop), 1);
  }
  return kept;
}

/** Tokens, estimated cost and elapsed time on the left; notes and connection on the right. */
export function StatusLine(props: { state: ViewState; theme: Theme; width: number; now: number; scroll?: ScrollView }): JSX.Element {
  const { state, theme, width, now } = props;
  const scroll = props.scroll ?? { offset: 0, newBelow: false };
  const connection = `● ${connectionLabel(state, now)}`;
  const note = statusNote(state, scroll);
  const figures = fitFigures(
    {
      tokens: `${state.stream.tokens} tok`,
      session: `session ${sessionTokens(state)} tok ≈ ${formatCost(estimatedCost(state))}`,
      elapsed: formatElapsed(elapsedMs(state, now)),
    },
    note,
    width - displayWidth(connection) - 1,
  );
  return (
    <Box width={width} height={1} justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text color={theme.muted}>{figures.join(SEPARATOR)}</Text>
        {note && figures.length > 0 ? <Text color={theme.muted}>{SEPARATOR}</Text> : null}
        {note ? (
          <Text bold color={theme.warn}>
            {note}
          </Text>
        ) : null}
      </Text>
      <Box flexShrink={0} marginLeft={1}>
        <Text color={connectionColor(state, theme)}>{connection}</Text>
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
