import { describe, expect, it } from 'vitest';
import { createInputDecoder, PASTE_END, PASTE_START, type InputEvent } from './decoder.ts';
import { actionFor, keyBindings } from './keybindings.ts';

function decode(...raws: string[]): InputEvent[] {
  const decoder = createInputDecoder();
  return raws.flatMap((raw) => decoder.push(raw));
}

describe('input decoder', () => {
  it('tells Enter, Ctrl+J and Alt+Enter apart', () => {
    expect(decode('\r', '\n', '\x1b\r')).toEqual([
      { type: 'key', name: 'return', ctrl: false, meta: false, shift: false },
      { type: 'key', name: 'newline', ctrl: true, meta: false, shift: false },
      { type: 'key', name: 'return', ctrl: false, meta: true, shift: false },
    ]);
  });

  it('keeps a bracketed paste whole, newlines included, even across reads', () => {
    expect(decode(`${PASTE_START}line one\rline`, ` two\r\n${PASTE_END}`)).toEqual([{ type: 'paste', text: 'line one\nline two\n' }]);
  });

  it('takes a multi-line chunk from a terminal without bracketed paste as a paste', () => {
    expect(decode('a\rb')).toEqual([{ type: 'paste', text: 'a\nb' }]);
  });

  it('decodes SGR wheel reports and ignores clicks', () => {
    expect(decode('\x1b[<64;10;5M', '\x1b[<65;10;5M', '\x1b[<0;3;3M')).toEqual([
      { type: 'wheel', direction: 'up' },
      { type: 'wheel', direction: 'down' },
    ]);
  });

  it('decodes navigation keys with modifiers', () => {
    const names = decode('\x1b[A', '\x1b[1;2A', '\x1b[1;5B', '\x1b[5~', '\x1b[6~', '\x1b[H', '\x1b[4~', '\x1bOP', '\x1b[Z', '\x7f', '\x19').map((e) =>
      e.type === 'key' ? `${e.ctrl ? 'C-' : ''}${e.shift ? 'S-' : ''}${e.name}` : e.type,
    );
    expect(names).toEqual(['up', 'S-up', 'C-down', 'pageup', 'pagedown', 'home', 'end', 'f1', 'S-tab', 'backspace', 'C-y']);
  });

  it('passes typed text through, wide characters included', () => {
    expect(decode('é', '世界')).toEqual([
      { type: 'text', text: 'é' },
      { type: 'text', text: '世界' },
    ]);
  });
});

describe('keybindings', () => {
  it('map keys to actions from the one table', () => {
    const [enter, ctrlJ, altEnter, esc, ctrlY, ctrlX] = decode('\r', '\n', '\x1b\r', '\x1b', '\x19', '\x18');
    const action = (e: InputEvent | undefined) => (e?.type === 'key' ? actionFor(e) : undefined);
    expect([enter, ctrlJ, altEnter, esc, ctrlY, ctrlX].map(action)).toEqual(['submit', 'newline', 'newline', 'escape', 'copyLastReply', 'openEditor']);
  });

  it('bind no key twice', () => {
    const seen = keyBindings.flatMap((b) => b.keys.map((k) => `${k.ctrl ? 'C' : ''}${k.meta ? 'M' : ''}${k.shift ? 'S' : ''}-${k.name}`));
    expect(new Set(seen).size).toBe(seen.length);
  });
});
