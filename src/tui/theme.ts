/**
 * Colours chosen once at start. Components take a Theme and never read the environment, so a
 * test can render any theme. `colors: false` (NO_COLOR) means no colour at all: components
 * then only use bold/inverse/dim, which NO_COLOR allows.
 */
export interface Theme {
  colors: boolean;
  /** Colour names for Ink's `color` prop; undefined means the terminal's default. */
  user: string | undefined;
  narrator: string | undefined;
  system: string | undefined;
  error: string | undefined;
  accent: string | undefined;
  ok: string | undefined;
  warn: string | undefined;
  muted: string | undefined;
}

const plain: Theme = {
  colors: false,
  user: undefined,
  narrator: undefined,
  system: undefined,
  error: undefined,
  accent: undefined,
  ok: undefined,
  warn: undefined,
  muted: undefined,
};

/** The 16 ANSI colour names every colour terminal has. */
const basic: Theme = {
  colors: true,
  user: 'cyan',
  narrator: 'magenta',
  system: 'yellow',
  error: 'red',
  accent: 'blue',
  ok: 'green',
  warn: 'yellow',
  muted: 'gray',
};

const rich: Theme = {
  colors: true,
  user: '#5fd7ff',
  narrator: '#d7afff',
  system: '#ffd75f',
  error: '#ff5f5f',
  accent: '#87afff',
  ok: '#87d787',
  warn: '#ffaf5f',
  muted: '#8a8a8a',
};

export const themes = { plain, basic, rich } as const;

export interface ThemeEnvironment {
  env: Record<string, string | undefined>;
  /** Colour depth in bits as `tty.WriteStream.getColorDepth()` reports it (1, 4, 8 or 24). */
  colorDepth: number;
}

/** NO_COLOR (any non-empty value, per no-color.org) wins; 4-bit terminals get the 16 basic colours. */
export function chooseTheme({ env, colorDepth }: ThemeEnvironment): Theme {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return plain;
  if (env.FORCE_COLOR === '0' || colorDepth <= 1) return plain;
  if (colorDepth <= 4) return basic;
  return rich;
}
