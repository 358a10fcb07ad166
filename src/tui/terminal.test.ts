import { describe, expect, it } from 'vitest';
import { osc52 } from './app/io.ts';
import { createTerminalModes } from './terminal.ts';

describe('terminal modes', () => {
  it('turns modes on once and off in reverse order', () => {
    const written: string[] = [];
    const modes = createTerminalModes((t) => written.push(t), ['altScreen', 'bracketedPaste', 'mouse']);
    modes.enter();
    modes.enter();
    modes.leave();
    modes.leave();
    expect(written).toEqual(['\x1b[?1049h\x1b[?2004h\x1b[?1000h\x1b[?1006h', '\x1b[?1006l\x1b[?1000l\x1b[?2004l\x1b[?1049l']);
  });
});

describe('OSC 52', () => {
  it('wraps the text as base64 for the clipboard', () => {
    expect(osc52('héllo 🌸')).toBe(`\x1b]52;c;${Buffer.from('héllo 🌸').toString('base64')}\x07`);
    expect(osc52('hi')).toBe('\x1b]52;c;aGk=\x07');
  });
});
