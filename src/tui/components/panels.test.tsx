import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { syncState } from '../testing/fake-connection.ts';
import { playingState, server, sessionStage, stateFrom } from '../testing/states.ts';
import { themes } from '../theme.ts';
import { fitNames, Header } from './Header.tsx';
import { InputBox, inputHeight, INPUT_LOCKED_TEXT, INPUT_PLACEHOLDER } from './InputBox.tsx';
import { Sidebar, sidebarShown } from './Sidebar.tsx';
import { StageChecklist } from './StageChecklist.tsx';
import { fitFigures, StatusLine } from './StatusLine.tsx';
import { scrollView } from '../state/selectors.ts';

const theme = themes.plain;

describe('Header', () => {
  it('shows the app, world, character, short model name and tokens per second', () => {
    const state = playingState([server({ event: 'chat_chunk', content: 'x', metadata: { tokens_per_second: 31.25 } }, 10)]);
    const frame = render(<Header state={state} theme={theme} width={120} />).lastFrame() ?? '';
    expect(frame).toContain('Flower');
    expect(frame).toContain('World: Eldoria');
    expect(frame).toContain('Char: Aria the Bard');
    expect(frame).toContain('Model: gpt-4o-mini');
    expect(frame).not.toContain('openai/');
    expect(frame).toContain('31.3 tok/s');
  });

  it('on a narrow terminal cuts the longest name, not the model and the speed', () => {
    const state = playingState([
      server(syncState({ ...sessionStage, available_worlds: [{ id: 'eldoria', name: 'The Shattered Realm of Aethelgard' }] })),
      server({ event: 'chat_chunk', content: 'x', metadata: { tokens_per_second: 12 } }, 10),
    ]);
    const frame = render(<Header state={state} theme={theme} width={90} />).lastFrame() ?? '';
    expect(frame).toContain('Model: gpt-4o-mini │ 12.0 tok/s');
    expect(frame).toMatch(/World: The Shattered R\S*…/);
    expect(frame).toContain('Char: Aria the Bard');
    expect(fitNames({ world: 'A very long world name indeed', character: 'Another long character name' }, 40, 60)).toEqual({ world: 'A very lo…', character: 'Another l…' });
    expect(fitNames({ world: 'Short', character: 'Names' }, 40, 60)).toEqual({ world: 'Short', character: 'Names' });
  });

  it('says what is missing before the stage is set', () => {
    const frame = render(<Header state={stateFrom([])} theme={theme} width={120} />).lastFrame() ?? '';
    expect(frame).toContain('World: —');
    expect(frame).toContain('no model');
  });
});

describe('Sidebar', () => {
  it('shows status, world, character and active rules by name', () => {
    const frame = render(<Sidebar state={playingState()} theme={theme} height={20} />).lastFrame() ?? '';
    for (const text of ['Status', 'ok', 'World', 'Eldoria', 'Character', 'Aria the Bard', 'Active rules', '• Grim tone']) expect(frame).toContain(text);
  });

  it('shows the connection state while not connected', () => {
    const state = stateFrom([{ type: 'connection', status: { state: 'reconnecting', attempt: 3, retryInMs: 2000 }, at: 0 }]);
    expect(render(<Sidebar state={state} theme={theme} height={20} />).lastFrame()).toContain('reconnecting');
  });

  it('hides below 80 columns', () => {
    expect(sidebarShown(79)).toBe(false);
    expect(sidebarShown(80)).toBe(true);
  });
});

describe('StageChecklist', () => {
  const frameOf = (state: ReturnType<typeof stateFrom>) => render(<StageChecklist state={state} theme={theme} width={90} height={20} />).lastFrame() ?? '';

  it('lists every step with the command to type when nothing is set', () => {
    const frame = frameOf(stateFrom([server(syncState())]));
    expect(frame).toContain('Prepare the stage');
    expect(frame).toContain('○ World');
    expect(frame).toContain('type /world select <id>');
    expect(frame).toContain('type /character select <id>');
    expect(frame).toContain('type /model <id>');
    expect(frame).toContain('type /session new');
  });

  it('ticks what is done and shows its name', () => {
    const frame = frameOf(stateFrom([server(syncState({ world_id: 'neon', character_id: 'kade', model: 'anthropic/claude-sonnet', model_confirmed: true }))]));
    expect(frame).toContain('✓ World');
    expect(frame).toContain('Neon Harbor');
    expect(frame).toContain('✓ Character');
    expect(frame).toContain('Kade');
    expect(frame).toContain('✓ Model');
    expect(frame).toContain('Claude Sonnet');
    expect(frame).toContain('○ Session');
  });

  it('says when the engine is not reachable yet', () => {
    const frame = frameOf(stateFrom([{ type: 'connection', status: { state: 'reconnecting', attempt: 4, retryInMs: 4000 }, at: 0 }]));
    expect(frame).toContain('Not connected to the engine yet: reconnecting (attempt 4, next in 4s)');
  });

  it('while unreachable: counts down to the next try, says why the last failed, and does not blame the config', () => {
    const state = stateFrom([{ type: 'connection', status: { state: 'reconnecting', attempt: 2, retryInMs: 4000, reason: 'connect ECONNREFUSED 127.0.0.1:8000' }, at: 10_000 }]);
    const at = (now: number) => render(<StageChecklist state={state} theme={theme} width={90} height={20} now={now} />).lastFrame() ?? '';
    expect(at(11_000)).toContain('reconnecting (attempt 2, next in 3s)');
    expect(at(14_500)).toContain('reconnecting (attempt 3, trying now)');
    expect(at(11_000)).toContain('Last try: connect ECONNREFUSED 127.0.0.1:8000');
    expect(at(11_000)).toContain('○ Model       waiting for the engine…');
    expect(at(11_000)).not.toContain('No model available');
  });

  it('tells how to configure a model when there is none', () => {
    const frame = frameOf(stateFrom([server(syncState({ available_models: [] }))])).replace(/\s+/g, ' ');
    expect(frame).toContain('No model available');
    expect(frame).toContain("add a provider to your config file (see README 'Providers')");
  });

  it('shows the last two system notices', () => {
    const state = stateFrom([
      server({ event: 'system_update', content: 'first notice', metadata: {} }),
      server({ event: 'system_update', content: 'Active world set to eldoria', metadata: {} }),
      server({ event: 'system_update', content: '✗ Unknown world "nowhere". Known: eldoria, neon', metadata: {} }),
    ]);
    const frame = frameOf(state);
    expect(frame).not.toContain('first notice');
    expect(frame).toContain('Active world set to eldoria');
    expect(frame).toContain('✗ Unknown world "nowhere"');
  });
});

describe('StatusLine', () => {
  it('shows tokens, estimated cost, elapsed time and the connection', () => {
    const state = playingState([
      { type: 'submitted', text: 'go', kind: 'story', at: 1000 },
      server({ event: 'chat_chunk', content: 'a', metadata: {} }, 1100),
      server({ event: 'chat_end', content: '', metadata: { total_tokens: 20_000 } }, 3500),
    ]);
    const frame = render(<StatusLine state={state} theme={theme} width={120} now={9999} />).lastFrame() ?? '';
    expect(frame).toContain('20000 tok');
    expect(frame).toContain('≈ $0.01'); // 20k × $0.60/M = $0.012
    expect(frame).toContain('2.5s');
    expect(frame).toContain('● connected');
  });

  it('says when new text arrived below while scrolled up', () => {
    const state = playingState([{ type: 'scroll', delta: 5, maxOffset: 10, total: 30, width: 70 }]);
    const scroll = scrollView(state, 32, 12, 70);
    expect(scroll).toEqual({ offset: 7, newBelow: true });
    expect(render(<StatusLine state={state} theme={theme} width={120} now={0} scroll={scroll} />).lastFrame()).toContain('new text below');
  });
});

describe('StatusLine embedding progress', () => {
  it('shows the engine embedding in the background until it is done', () => {
    const progress = (done: number) =>
      server({ event: 'embedding_progress', content: `Embedding lore: ${done}/400`, metadata: { kind: 'lore', done, total: 400, model: 'local/embed' } });
    const embedding = playingState([progress(120)]);
    expect(render(<StatusLine state={embedding} theme={theme} width={120} now={0} />).lastFrame()).toContain('Embedding lore: 120/400');
    const done = playingState([progress(120), progress(400)]);
    expect(render(<StatusLine state={done} theme={theme} width={120} now={0} />).lastFrame()).not.toContain('Embedding');
  });
});

describe('InputBox', () => {
  it('shows the placeholder when empty', () => {
    expect(render(<InputBox draft={{ text: '', cursor: 0 }} locked={false} theme={theme} width={60} />).lastFrame()).toContain(INPUT_PLACEHOLDER);
  });

  it('is locked with "Narrating..." while a reply streams', () => {
    const frame = render(<InputBox draft={{ text: 'hidden', cursor: 0 }} locked theme={theme} width={60} />).lastFrame() ?? '';
    expect(frame).toContain(INPUT_LOCKED_TEXT);
    expect(frame).not.toContain(INPUT_PLACEHOLDER);
    expect(frame).not.toContain('hidden');
  });

  it('wraps a long line inside the box and grows to fit it', () => {
    const text = 'I climb the old tower stairs, counting each step';
    const draft = { text, cursor: text.length };
    const frame = render(<InputBox draft={draft} locked={false} theme={theme} width={24} />).lastFrame() ?? '';
    expect(frame.replace(/[│╭╮╰╯─\s]/g, '')).toContain(text.replace(/\s/g, ''));
    expect(frame.split('\n')).toHaveLength(inputHeight(draft, false, 24));
    expect(inputHeight(draft, false, 24)).toBe(5);
  });

  it('shows every line of a multi-line draft', () => {
    const frame = render(<InputBox draft={{ text: 'line one\nline two', cursor: 3 }} locked={false} theme={theme} width={60} />).lastFrame() ?? '';
    expect(frame).toContain('line one');
    expect(frame).toContain('line two');
  });
});

describe('StatusLine in a narrow terminal', () => {
  it('a note gets the room it needs: whole figures give way, the least useful first', () => {
    const figures = { tokens: '12 tok', session: 'session 900 tok ≈ $0.01', elapsed: '3.5s' };
    expect(fitFigures(figures, null, 80)).toEqual(['12 tok', 'session 900 tok ≈ $0.01', '3.5s']);
    expect(fitFigures(figures, 'Copied the last reply (120 characters)', 60)).toEqual(['12 tok', '3.5s']);
    expect(fitFigures(figures, 'Copied the last reply (120 characters)', 46)).toEqual(['3.5s']);
    expect(fitFigures(figures, 'Copied the last reply (120 characters)', 20)).toEqual([]);
  });

  it('shows a flash note whole at 80 columns', () => {
    const state = playingState([{ type: 'flash', text: 'No thinking to show (only reasoning models send it)' }]);
    const frame = render(<StatusLine state={state} theme={theme} width={80} now={0} />).lastFrame() ?? '';
    expect(frame).toContain('No thinking to show (only reasoning models send it)');
    expect(frame).toContain('● connected');
  });
});
