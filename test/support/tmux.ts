/**
 * Drives a real program in a real terminal: a detached tmux session on a private server socket
 * (`tmux -L <name>`), so parallel runs never share a server. Keys go in with `send-keys`, the
 * screen comes back with `capture-pane -p`. Used by the tmux end-to-end test of the UI.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The `tmux -V` line, or undefined when tmux is not installed. */
export function tmuxVersion(): string | undefined {
  const result = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.trim();
}

export interface TmuxStartOptions {
  /** Shell command (POSIX sh) run in the pane. */
  command: string;
  cwd: string;
  columns: number;
  rows: number;
  /** Set for the command only (tmux passes its own server environment otherwise). */
  env?: Record<string, string>;
}

export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export class TmuxSession {
  /** The socket name and the session name: one server per session. */
  readonly name: string;
  private dir: string | undefined;

  constructor(name: string) {
    this.name = name;
  }

  private async tmux(...args: string[]): Promise<string> {
    // `-f /dev/null`: the player's ~/.tmux.conf must not change what the test sees.
    const { stdout } = await run('tmux', ['-L', this.name, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    return stdout;
  }

  private get statusFile(): string {
    if (!this.dir) throw new Error('the tmux session is not started');
    return join(this.dir, 'exit-status');
  }

  /**
   * Starts the command in a detached session of the given size. The pane stays after the
   * command exits (remain-on-exit), so its last screen can still be read. The exit status is
   * written to a file by the wrapping shell: tmux itself sometimes never reaps a pane's process
   * (a known race in tmux builds with utempter), so `#{pane_dead_status}` cannot be relied on.
   */
  async start(options: TmuxStartOptions): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'flower-tmux-'));
    const env = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${shellQuote(value)}`);
    const command = env.length > 0 ? `env ${env.join(' ')} ${options.command}` : options.command;
    await this.tmux(
      'start-server',
      ';', 'set-option', '-g', 'remain-on-exit', 'on',
      ';', 'set-option', '-g', 'default-shell', '/bin/sh',
      ';', 'new-session', '-d', '-s', this.name, '-x', String(options.columns), '-y', String(options.rows), '-c', options.cwd,
      `${command}; echo $? > ${shellQuote(this.statusFile)}`,
    );
  }

  /** Literal text, no key names interpreted; Enter is never part of it. */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** Named keys, one call each: `Enter`, `Escape`, `BSpace`, `C-c`. */
  async press(key: string): Promise<void> {
    await this.tmux('send-keys', '-t', this.name, key);
  }

  /** The visible screen as plain text, one line per row. */
  async screen(): Promise<string> {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** The program's exit status (128 + n for signal n), or null while it runs. */
  exitStatus(): number | null {
    const file = this.statusFile;
    if (!existsSync(file)) return null;
    const text = readFileSync(file, 'utf8').trim();
    // The shell may not have finished writing yet.
    return text === '' ? null : Number(text);
  }

  /**
   * Polls the screen until `predicate` holds; returns that screen. On timeout it fails with the
   * last screen in the message, so a failing run shows what the terminal looked like.
   */
  async waitForScreen(what: string, predicate: (screen: string) => boolean, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      try {
        last = await this.screen();
      } catch (error) {
        last = `(capture-pane failed: ${String(error)})`;
      }
      if (predicate(last)) return last;
      if (Date.now() > deadline) break;
      await sleep(100);
    }
    const status = this.exitStatus();
    const exited = status === null ? '' : ` (the program exited with status ${status})`;
    throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}${exited}\n--- last screen ---\n${last}\n--- end of screen ---`);
  }

  /** Polls until the program in the pane has exited; returns its exit status. */
  async waitForExit(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const status = this.exitStatus();
      if (status !== null) return status;
      await sleep(100);
    }
    const pid = (await this.tmux('display-message', '-p', '-t', this.name, '#{pane_pid}')).trim();
    const processes = spawnSync('ps', ['-o', 'pid,ppid,stat,etime,cmd', '-p', pid, '--ppid', pid], { encoding: 'utf8' }).stdout;
    throw new Error(`Timed out after ${timeoutMs} ms waiting for the program to exit\n--- processes ---\n${processes}--- last screen ---\n${await this.screen()}\n--- end of screen ---`);
  }

  /** Stops this private tmux server and everything running in it; removes its socket and files. */
  async kill(): Promise<void> {
    if (!this.dir) return;
    const socket = (await this.tmux('display-message', '-p', '#{socket_path}').catch(() => '')).trim();
    await this.tmux('kill-server').catch(() => undefined);
    // tmux leaves its socket file behind; one per test run would pile up in /tmp.
    if (socket) rmSync(socket, { force: true });
    rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
