import { describe, expect, it } from 'vitest';
import { chooseTheme, themes } from './theme.ts';

// Ink's colour library decides at import time whether to colour; force it before loading Ink
// so the frames below show exactly the colours the theme asks for.
process.env.FORCE_COLOR = '1';
const { render } = await import('ink-testing-library');
const { App } = await import('./App.tsx');
const { FakeConnection, readyEvent, syncState } = await import('./testing/fake-connection.ts');
const { waitFor } = await import('./testing/wait-for.ts');

const ESC_COLOR = /\x1b\[(3[0-7]|9[0-7]|38;)/; // eslint-disable-line no-control-regex

async function frameWith(theme: (typeof themes)[keyof typeof themes]): Promise<string> {
  const connection = new FakeConnection();
  const io = { quit: () => undefined, copy: () => undefined, openEditor: async () => null };
  const app = render(<App connection={connection} theme={theme} io={io} columns={100} rows={30} />);
  await waitFor(() => connection.started);
  connection.setStatus({ state: 'open' });
  connection.emit(readyEvent);
  connection.emit(syncState({ world_id: 'eldoria' }));
  await waitFor(() => expect(app.lastFrame()).toContain('✓ World'));
  const frame = app.lastFrame() ?? '';
  app.unmount();
  return frame;
}

describe('theme', () => {
  it('NO_COLOR (any non-empty value) turns colour off; 16-colour terminals get basic names', () => {
    expect(chooseTheme({ env: { NO_COLOR: '1' }, colorDepth: 24 })).toBe(themes.plain);
    expect(chooseTheme({ env: { NO_COLOR: '' }, colorDepth: 24 })).toBe(themes.rich);
    expect(chooseTheme({ env: { FORCE_COLOR: '0' }, colorDepth: 24 })).toBe(themes.plain);
    expect(chooseTheme({ env: {}, colorDepth: 4 })).toBe(themes.basic);
    expect(chooseTheme({ env: {}, colorDepth: 8 })).toBe(themes.rich);
    expect(chooseTheme({ env: {}, colorDepth: 1 })).toBe(themes.plain);
    expect(Object.values(themes.basic).filter((v) => typeof v === 'string').every((name) => /^[a-z]+$/.test(name as string))).toBe(true);
  });

  it('renders without any colour codes under the NO_COLOR theme, with them otherwise', async () => {
    const plain = await frameWith(themes.plain);
    expect(plain).toContain('Prepare the stage');
    expect(plain).not.toMatch(ESC_COLOR);
    const coloured = await frameWith(themes.basic);
    expect(coloured).toMatch(ESC_COLOR);
  });
});
