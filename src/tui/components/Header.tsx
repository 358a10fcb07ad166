import type { JSX } from 'react';
import { Box, Text } from 'ink';
import { displayWidth, fitText } from '../chat/width.ts';
import { nameOf, shortModelName } from '../state/selectors.ts';
import type { ViewState } from '../state/types.ts';
import type { Theme } from '../theme.ts';

export const APP_NAME = 'Flower';

const SEPARATOR = ' │ ';
/** A name is never cut shorter than this: "The Shatt…" still says which world. */
const MIN_NAME = 10;

/**
 * The world's and the character's names cut (longest first) so the model and the speed, which
 * change while playing, stay in view on a narrow terminal.
 */
export function fitNames(names: { world: string; character: string }, fixed: number, width: number): { world: string; character: string } {
  let { world, character } = names;
  let over = fixed + displayWidth(world) + displayWidth(character) - width;
  const cut = (name: string): string => {
    const room = Math.max(MIN_NAME, displayWidth(name) - over);
    if (room >= displayWidth(name)) return name;
    const short = `${fitText(name, room - 1)}…`;
    over -= displayWidth(name) - displayWidth(short);
    return short;
  };
  if (over <= 0) return names;
  if (displayWidth(world) >= displayWidth(character)) {
    world = cut(world);
    if (over > 0) character = cut(character);
  } else {
    character = cut(character);
    if (over > 0) world = cut(world);
  }
  return { world, character };
}

export function Header({ state, theme, width }: { state: ViewState; theme: Theme; width: number }): JSX.Element {
  const { stage, lists, stream } = state;
  const model = stage.model ? shortModelName(stage.model) : 'no model';
  const speed = stream.tokensPerSecond > 0 ? `${stream.tokensPerSecond.toFixed(1)} tok/s` : '— tok/s';
  const app = `✿ ${APP_NAME}`;
  const fixed = displayWidth([app, 'World: ', 'Char: ', `Model: ${model}`, speed].join('')) + 4 * displayWidth(SEPARATOR);
  const { world, character } = fitNames(
    { world: stage.worldId ? nameOf(lists.worlds, stage.worldId) : '—', character: stage.characterId ? nameOf(lists.characters, stage.characterId) : '—' },
    fixed,
    width,
  );
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>
          {app}
        </Text>
        <Text color={theme.muted}>{SEPARATOR}</Text>
        <Text>World: {world}</Text>
        <Text color={theme.muted}>{SEPARATOR}</Text>
        <Text>Char: {character}</Text>
        <Text color={theme.muted}>{SEPARATOR}</Text>
        <Text>Model: {model}</Text>
        <Text color={theme.muted}>{SEPARATOR}</Text>
        <Text>{speed}</Text>
      </Text>
    </Box>
  );
}
