/**
 * The real app in a real terminal: `flower serve` as a child process against the local
 * OpenAI-style streaming server, and `flower tui` running inside tmux, driven by keystrokes
 * (text and Enter sent separately, as a person types) and read back from the screen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir } from '../e2e/helpers/flower.ts';
import { startOpenAiServer, type OpenAiServer, type ScriptedReply } from '../support/openai-sse-server.ts';
import { shellQuote, TmuxSession, tmuxVersion } from '../support/tmux.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = /Flower engine listening on (ws:\/\/127\.0\.0\.1:\d+\/ws\/rpc)/;
/** Per step: a loaded CI machine starts Node with tsx slowly; nothing here measures time. */
const STEP_MS = 30_000;

const SLOW_TURN = 'I wait in silence and listen to the long tale.';
const FIRST_REPLY = ['The fog ', 'parts over ', 'the silent pier. ', 'A lantern ', 'swings in ', 'the dark.'];
const FIRST_REPLY_TAIL = 'A lantern swings in the dark.';
const SLOW_REPLY = Array.from({ length: 200 }, (_, i) => `tale${i} `);
/** A reasoning model: DeepSeek-style `reasoning_content` first, then the narration. */
const THINK_TURN = 'I ask the harbor master, a tired and suspicious old sailor with salt in his beard and a lantern in his hand, whether any ship came in without a crew.';
const THINKING = Array.from({ length: 30 }, (_, i) => `Weighing clue ${i} about the drifting boat. `);
const THINK_REPLY = ['The harbor master ', 'spits into the water. ', '"One did," he says.'];

function script(body: { messages: Array<{ role: string; content: string }> }): ScriptedReply {
  const last = body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  if (last.includes(SLOW_TURN)) return { chunks: SLOW_REPLY, delayMs: 100 };
  if (last.includes(THINK_TURN)) return { reasoning: THINKING, chunks: THINK_REPLY, delayMs: 60 };
  return { chunks: FIRST_REPLY, delayMs: 40, usage: { prompt_tokens: 120, completion_tokens: 12 } };
}

const tmux = tmuxVersion();
if (!tmux) console.warn('SKIPPED test/tui-e2e/play.test.ts: tmux is not installed (apt-get install tmux); the real-terminal UI test cannot run.');

interface Engine {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function startEngine(dataDir: string, configFile: string): Promise<Engine> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0', '--data-dir', dataDir, '--config', configFile], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the engine did not print its listening line within ${STEP_MS} ms:\n${output}`)), STEP_MS);
    child.stdout!.on('data', () => {
      const match = LISTENING.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1]!);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the engine exited with ${code} before listening:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

async function stopEngine(engine: Engine | undefined): Promise<void> {
  if (!engine || engine.child.exitCode !== null || engine.child.signalCode !== null) return;
  const exited = new Promise((resolve) => engine.child.once('exit', resolve));
  engine.child.kill('SIGTERM');
  const timer = setTimeout(() => engine.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The input box: the last three rows (its borders and one line of text). */
const inputBox = (screen: string): string => screen.trimEnd().split('\n').slice(-3).join('\n');

describe.skipIf(!tmux)('the terminal UI in tmux against a real engine', { timeout: 180_000 }, () => {
  let upstream: OpenAiServer;
  let dir: ReturnType<typeof makeDataDir>;
  let engine: Engine | undefined;
  const term = new TmuxSession(`flower-e2e-${process.pid}-${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    upstream = await startOpenAiServer({ models: [{ id: 'test-model' }, { id: 'other-model' }], reply: (body) => script(body) });
    dir = makeDataDir(upstream.url);
    engine = await startEngine(dir.dataDir, dir.configFile);
    await term.start({
      command: `${shellQuote(process.execPath)} --import tsx src/cli.ts tui --url ${engine.url}`,
      cwd: ROOT,
      columns: 120,
      rows: 40,
      env: { NODE_ENV: 'production', TERM: 'xterm-256color' },
    });
  }, 60_000);

  afterAll(async () => {
    await term.kill();
    await stopEngine(engine);
    await upstream?.close();
    dir?.remove();
  }, 30_000);

  it('prepares the stage through the lists, streams a reply, cancels a slow one with Esc, and quits', async () => {
    await term.waitForScreen('the stage checklist, connected, with the model list loaded', (s) => s.includes('Prepare the stage') && s.includes('type /model <id>') && !s.includes('Not connected'), STEP_MS);

    // World: `/` opens the command list; filter to /world select, Enter, then filter the worlds by name.
    await term.type('/');
    await term.waitForScreen('the command list', (s) => s.includes('Commands') && s.includes('/world select'), STEP_MS);
    await term.type('world sel');
    await term.waitForScreen('/world select highlighted', (s) => s.includes('› /world select'), STEP_MS);
    await term.press('Enter');
    await term.waitForScreen('the world list', (s) => s.includes('Worlds') && s.includes('Greywater Harbor (harbor)') && s.includes('The Glass Desert'), STEP_MS);
    await term.type('greyw');
    await term.waitForScreen('the world list filtered to Greywater Harbor', (s) => s.includes('› Greywater Harbor (harbor)') && !s.includes('The Glass Desert'), STEP_MS);
    await term.press('Enter');
    await term.waitForScreen('the world checked', (s) => /✓ World\s+Greywater Harbor/.test(s), STEP_MS);

    // Character, the same way.
    await term.type('/');
    await term.waitForScreen('the command list', (s) => s.includes('Commands'), STEP_MS);
    await term.type('character sel');
    await term.waitForScreen('/character select highlighted', (s) => s.includes('› /character select'), STEP_MS);
    await term.press('Enter');
    await term.waitForScreen('the character list', (s) => s.includes('Characters') && s.includes('Mara (mara)') && s.includes('Tom (tom)'), STEP_MS);
    await term.type('mar');
    await term.waitForScreen('the character list filtered to Mara', (s) => s.includes('› Mara (mara)') && !s.includes('Tom (tom)'), STEP_MS);
    await term.press('Enter');
    await term.waitForScreen('the character checked', (s) => /✓ Character\s+Mara/.test(s), STEP_MS);

    // Model: `/model` lists the models the local server offers.
    await term.type('/model');
    await term.waitForScreen('/model highlighted', (s) => s.includes('› /model'), STEP_MS);
    await term.press('Enter');
    await term.waitForScreen('the model list', (s) => s.includes('Models (USD per million tokens)') && s.includes('local/test-model') && s.includes('local/other-model'), STEP_MS);
    await term.type('test-mo');
    await term.waitForScreen('the model list filtered to test-model', (s) => s.includes('local/test-model') && !s.includes('local/other-model'), STEP_MS);
    await term.press('Enter');
    await term.waitForScreen('the model checked', (s) => /✓ Model\s+\S*test-model/.test(s), STEP_MS);

    // Session: the world's start message opens the chat.
    // `/session new [N]` takes an optional argument, and the wire does not say it is optional,
    // so Enter on the list entry only fills `/session new ` in; a second Enter sends it.
    await term.type('/session new');
    await term.waitForScreen('/session new highlighted', (s) => s.includes('› /session new'), STEP_MS);
    await term.press('Enter');
    const filled = await term.waitForScreen('the list closed', (s) => !s.includes('› /session new'), STEP_MS);
    if (inputBox(filled).includes('/session new')) await term.press('Enter');
    await term.waitForScreen("the world's start message in the chat", (s) => s.includes('The harbor bell rings twice') && !s.includes('Prepare the stage'), STEP_MS);

    // A turn: the narration streams in under the NARRATOR label.
    await term.type('I step onto the pier.');
    await term.waitForScreen('the turn in the input', (s) => inputBox(s).includes('I step onto the pier.'), STEP_MS);
    await term.press('Enter');
    const narrated = await term.waitForScreen('the streamed narration, finished', (s) => s.includes(FIRST_REPLY_TAIL) && !s.includes('Narrating...'), STEP_MS);
    expect(narrated).toContain('YOU');
    expect(narrated).toContain('I step onto the pier.');
    expect(narrated).toContain('NARRATOR');
    expect(narrated).toContain('The fog parts over the silent pier.');

    // A long move wraps in the input at word boundaries (120 columns: 116 inside the box).
    await term.type(THINK_TURN);
    const typed = await term.waitForScreen('the long move wrapped in the input', (s) => s.trimEnd().split('\n').at(-2)?.includes('without a crew.') === true, STEP_MS);
    const rows = typed.trimEnd().split('\n').slice(-3, -1).map((row) => row.replace(/^│ |│$/g, '').trim());
    expect(rows).toHaveLength(2);
    // Each row holds whole words: joined with a space they give the move back.
    expect(rows.join(' ')).toBe(THINK_TURN);

    // A model that thinks first: one dim line that counts the thinking, apart from the narration.
    await term.press('Enter');
    await term.waitForScreen('the thinking indicator while the model thinks', (s) => /▸ thinking… [\d,]+ chars · Ctrl\+T shows/.test(s), STEP_MS);
    const thought = await term.waitForScreen('the narration under the thought line', (s) => s.includes('▸ thought ·') && s.includes('"One did," he says.') && !s.includes('Narrating...'), STEP_MS);
    expect(thought).not.toContain('Weighing clue');
    expect(thought.indexOf('▸ thought ·')).toBeLessThan(thought.indexOf('The harbor master spits into the water.'));
    await term.press('C-t');
    await term.waitForScreen('the thinking shown in full with Ctrl+T', (s) => s.includes('┆ Weighing clue 0 about the drifting boat.') && s.includes('▾ thought ·'), STEP_MS);
    await term.press('C-t');
    await term.waitForScreen('the thinking folded again', (s) => !s.includes('┆ Weighing clue') && s.includes('▸ thought ·'), STEP_MS);

    // A slow reply: Esc while it streams cancels it; the partial text stays and the input unlocks.
    await term.type(SLOW_TURN);
    await term.waitForScreen('the second turn in the input', (s) => inputBox(s).includes(SLOW_TURN), STEP_MS);
    await term.press('Enter');
    await term.waitForScreen('the slow reply streaming', (s) => s.includes('tale3 ') && inputBox(s).includes('Narrating...'), STEP_MS);
    await term.press('Escape');
    const cancelled = await term.waitForScreen('the cancel notice and the input unlocked', (s) => s.includes('Stream cancelled') && !s.includes('Narrating...') && inputBox(s).includes('How do you respond?'), STEP_MS);
    expect(cancelled).toContain('tale0 tale1 tale2 tale3');
    expect(cancelled).not.toContain('tale199');
    await expect.poll(() => upstream.aborted, { timeout: STEP_MS }).toBeGreaterThanOrEqual(1);
    // The partial reply is not wiped by later frames.
    const settled = await term.waitForScreen('the partial reply still on screen', (s) => s.includes('tale3') && s.includes('Stream cancelled'), STEP_MS);
    expect(settled).toContain(FIRST_REPLY_TAIL);

    // The input takes text again.
    await term.type('still here');
    await term.waitForScreen('typing works after the cancel', (s) => inputBox(s).includes('still here'), STEP_MS);

    // Quit: clear the draft, then /quit; the app exits cleanly.
    await term.press('C-u');
    await term.waitForScreen('the input empty', (s) => inputBox(s).includes('How do you respond?'), STEP_MS);
    await term.type('/quit');
    await term.waitForScreen('/quit highlighted', (s) => s.includes('› /quit'), STEP_MS);
    await term.press('Enter');
    expect(await term.waitForExit(STEP_MS)).toBe(0);
  });
});
