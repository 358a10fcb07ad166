import { afterEach, describe, expect, it, vi } from 'vitest';
import { NO_TTY_MESSAGE, runTui } from './run-tui.ts';

afterEach(() => vi.restoreAllMocks());

describe('runTui', () => {
  it('refuses without a TTY, saying why, with exit code 1', async () => {
    // Test runners give the process pipes, not a terminal.
    expect(process.stdout.isTTY).toBeFalsy();
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    expect(await runTui({ url: 'ws://127.0.0.1:1/ws/rpc' })).toBe(1);
    expect(written.join('')).toContain(NO_TTY_MESSAGE);
  });
});
