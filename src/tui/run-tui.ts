import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { render, type Instance } from 'ink';
import { App } from './App.tsx';
import { osc52, type AppIo } from './app/io.ts';
import { createConnection, type ConnectionLike } from './connection.ts';
import { createTerminalModes, type TerminalMode, type TerminalModes } from './terminal.ts';
import { chooseTheme } from './theme.ts';

export interface RunTuiOptions {
  /** e.g. ws://127.0.0.1:8000/ws/rpc */
  url: string;
  /** Shown in the "no model" hint; known when the launcher started the engine itself. */
  configPath?: string;
  env?: Record<string, string | undefined>;
}

export const NO_TTY_MESSAGE =
  "✗ Flower's terminal UI needs an interactive terminal (stdin and stdout must be a TTY).\n" +
  '  Run it in a terminal, or run the engine alone with `flower serve` and connect a client over WebSocket.';

/** Writes the draft to a temp file, runs $VISUAL/$EDITOR on it in the foreground, reads it back. */
function editInEditor(initial: string, env: Record<string, string | undefined>, suspend: () => void, resume: () => void): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'flower-draft-'));
  const file = join(dir, 'draft.md');
  writeFileSync(file, initial, 'utf8');
  const editor = env.VISUAL || env.EDITOR || 'vi';
  suspend();
  try {
    // The path is ours (mkdtemp); EDITOR may carry arguments ("code --wait"), hence the shell.
    const result = spawnSync(`${editor} "${file}"`, { stdio: 'inherit', shell: true });
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`${editor} exited with status ${result.status ?? 'unknown'}; the draft is unchanged`);
    return readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  } finally {
    resume();
    rmSync(dir, { recursive: true, force: true });
  }
}

function createIo(instance: () => Instance | undefined, modes: TerminalModes, env: Record<string, string | undefined>): AppIo {
  const stdin = process.stdin;
  return {
    quit: () => instance()?.unmount(),
    copy: (text) => {
      process.stdout.write(osc52(text));
    },
    openEditor: async (initial) =>
      editInEditor(
        initial,
        env,
        () => {
          modes.leave();
          stdin.setRawMode?.(false);
        },
        () => {
          stdin.setRawMode?.(true);
          modes.enter();
          // Repaint from the top of the fresh screen: clear() forgets what Ink drew before.
          process.stdout.write('\x1b[2J\x1b[H');
          instance()?.clear();
        },
      ),
  };
}

/** Opens the full-screen UI connected to `url`; resolves with the process exit code. */
export async function runTui(options: RunTuiOptions): Promise<number> {
  const env = options.env ?? process.env;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(`${NO_TTY_MESSAGE}\n`);
    return 1;
  }
  const theme = chooseTheme({ env, colorDepth: process.stdout.getColorDepth?.(env as NodeJS.ProcessEnv) ?? 8 });
  const modeList: TerminalMode[] = ['altScreen', 'bracketedPaste', 'hiddenCursor'];
  if (env.FLOWER_NO_MOUSE === undefined) modeList.push('mouse');
  const modes = createTerminalModes((text) => process.stdout.write(text), modeList);
  const connection: ConnectionLike = createConnection({ url: options.url });
  let instance: Instance | undefined;
  const io = createIo(() => instance, modes, env);

  // The terminal went away (closed window, dropped SSH): writes fail with EIO/EPIPE. Nothing
  // can be shown any more; quit quietly instead of crashing on an unhandled 'error'.
  let terminalGone = false;
  const onStdoutError = (): void => {
    terminalGone = true;
    instance?.unmount();
  };
  const restore = (): void => {
    if (!terminalGone) modes.leave();
  };
  const onSignal = (): void => instance?.unmount();
  process.stdout.on('error', onStdoutError);
  process.on('exit', restore);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  modes.enter();
  try {
    instance = render(createElement(App, { connection, theme, io, configPath: options.configPath }), { exitOnCtrlC: false, maxFps: 30 });
    await instance.waitUntilExit();
    return terminalGone ? 1 : 0;
  } finally {
    connection.close();
    restore();
    process.off('exit', restore);
    process.stdout.off('error', onStdoutError);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}
