import type { JSX } from 'react';
import { Box, Text } from 'ink';
import { nameOf, shortModelName } from '../state/selectors.ts';
import type { ViewState } from '../state/types.ts';
import type { Theme } from '../theme.ts';

export const APP_NAME = 'Flower';

export function Header({ state, theme, width }: { state: ViewState; theme: Theme; width: number }): JSX.Element {
  const { stage, lists, stream } = state;
  const world = stage.worldId ? nameOf(lists.worlds, stage.worldId) : '—';
  const character = stage.characterId ? nameOf(lists.characters, stage.characterId) : '—';
  const model = stage.model ? shortModelName(stage.model) : 'no model';
  const speed = stream.tokensPerSecond > 0 ? `${stream.tokensPerSecond.toFixed(1)} tok/s` : '— tok/s';
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>
          ✿ {APP_NAME}
        </Text>
        <Text color={theme.muted}> │ </Text>
        <Text>World: {world}</Text>
        <Text color={theme.muted}> │ </Text>
        <Text>Char: {character}</Text>
        <Text color={theme.muted}> │ </Text>
        <Text>Model: {model}</Text>
        <Text color={theme.muted}> │ </Text>
        <Text>{speed}</Text>
      </Text>
    </Box>
  );
}
