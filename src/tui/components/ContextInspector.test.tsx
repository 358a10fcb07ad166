import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContextManifest } from '../../protocol/index.ts';
import { keyBindings } from '../input/keybindings.ts';
import { keys, renderApp } from '../testing/render-app.tsx';
import { playingState, server } from '../testing/states.ts';
import { waitFor } from '../testing/wait-for.ts';
import { themes } from '../theme.ts';
import { ContextInspector, inspectorLines } from './ContextInspector.tsx';
import { helpLines } from './HelpScreen.tsx';

afterEach(() => cleanup());

const manifest: ContextManifest = {
  session_id: 'abc123def456',
  model: 'openai/gpt-4o-mini',
  created_at: 1,
  context_length: 8192,
  reply_budget: 1024,
  input_budget: 7168,
  total_tokens: 2345,
  budgets: { entries: 900, lore: 600 },
  blocks: [
    { kind: 'base_rules', label: 'Base rules', source: {}, tokens: 120 },
    { kind: 'rule', label: 'Grim tone', source: { id: 'grim' }, tokens: 14 },
    { kind: 'entry', label: 'The bells', source: { id: 'bells', key: 'bells', trigger: 'message' }, tokens: 40 },
    { kind: 'lore', label: 'The golem wakes at bells', source: { chunk_id: 7 }, tokens: 30 },
    { kind: 'summary', label: 'Story so far', source: { to_message_id: 40 }, tokens: 200, truncated: true },
    { kind: 'history', label: '24 recent messages', source: { from_message_id: 41, to_message_id: 64, message_count: 24 }, tokens: 1800 },
    { kind: 'user_message', label: 'Your message', source: {}, tokens: 20 },
  ],
  left_out: [
    { kind: 'lore', label: 'The drowned chapel', source: { chunk_id: 9 }, tokens: 700, reason: 'budget', detail: 'the lore budget is 600 tokens and 30 were used by higher-ranked lore' },
    { kind: 'history', label: '40 older messages', source: { from_message_id: 1, to_message_id: 40, message_count: 40 }, tokens: 5000, reason: 'budget', detail: 'outside the history window' },
  ],
};

const contextReply = { event: 'system_update', content: '✓ Context of the last turn (openai/gpt-4o-mini): 2,345 of 7,168 input tokens', metadata: { context_manifest: manifest } } as const;

describe('ContextInspector', () => {
  it('lists each block with its source and tokens, what was left out and why, and the budgets', () => {
    const frame = render(<ContextInspector manifest={manifest} theme={themes.plain} width={140} height={30} offset={0} />).lastFrame() ?? '';
    for (const text of [
      'Context inspector',
      'openai/gpt-4o-mini · 2,345 of 7,168 input tokens · context 8,192 · 1,024 kept for the reply',
      'In the prompt, in order (7)',
      'rule: Grim tone',
      '14 tok · grim',
      'entry: The bells',
      'bells · key "bells"',
      'lore: The golem wakes at bells',
      'chunk #7',
      'summary: Story so far',
      'covers up to #40 · cut to fit',
      'messages #41–#64 (24)',
      'Left out (2)',
      'lore: The drowned chapel',
      'budget: the lore budget is 600 tokens',
      'Budgets (tokens)',
      'entries 900 · lore 600',
    ]) {
      expect(frame).toContain(text);
    }
  });

  it('says how to get a manifest when there is none yet', () => {
    expect(inspectorLines(null).map((line) => line.left)).toEqual(['Context inspector', 'No context yet: send a turn, then press Ctrl+O or type /context.']);
  });

  it('is fed by the reducer from the /context reply, which opens it', () => {
    const state = playingState([server(contextReply)]);
    expect(state.contextManifest).toEqual(manifest);
    expect(state.ui.inspectorOpen).toBe(true);
    const ignored = playingState([server({ event: 'system_update', content: '✓', metadata: { context_manifest: { broken: true } } })]);
    expect(ignored.contextManifest).toBeNull();
    expect(ignored.ui.inspectorOpen).toBe(false);
  });

  it('is listed with its key in the help, from the one keybinding table', () => {
    expect(keyBindings.find((binding) => binding.action === 'contextInspector')?.label).toBe('Ctrl+O');
    expect(helpLines([], keyBindings)).toContainEqual(expect.objectContaining({ left: 'Ctrl+O', right: expect.stringContaining('context inspector') }));
  });
});

describe('App: context inspector', () => {
  it('Ctrl+O asks for /context and shows the manifest; Esc closes it, back to the chat', async () => {
    const { press, see, frame, connection } = await renderApp({ inSession: true, columns: 140 });
    await press('\x0f');
    await waitFor(() => expect(connection.sent).toContain('/context'));
    await see('No context yet');
    connection.emit(contextReply);
    await see('In the prompt, in order (7)');
    await see('lore: The drowned chapel');
    await press(keys.esc);
    await waitFor(() => expect(frame()).not.toContain('Context inspector'));
  });

  it('Ctrl+O again closes it without asking', async () => {
    const { press, see, frame, connection } = await renderApp({ inSession: true, columns: 140 });
    connection.emit(contextReply);
    await see('Context inspector');
    const sent = connection.sent.length;
    await press('\x0f');
    await waitFor(() => expect(frame()).not.toContain('Context inspector'));
    expect(connection.sent).toHaveLength(sent);
  });
});

describe('App: context inspector layout', () => {
  it('takes the full width and adds no copy of itself to the transcript', async () => {
    const { press, see, frame, connection } = await renderApp({ inSession: true, columns: 100 });
    await see('Active rules');
    await press(keys.ctrlO);
    connection.emit(contextReply);
    await see('In the prompt, in order (7)');
    expect(frame()).not.toContain('Active rules');
    // Wrapped under its column rather than cut off.
    expect(frame()).toMatch(/the lore budget is 600 tokens and 30 were used by\n\s+higher-ranked lore · chunk #9/);
    await press(keys.esc);
    await see('Active rules');
    expect(frame()).not.toContain('Context of the last turn');
  });

  it('Home and End scroll the inspector, not the hidden chat', async () => {
    const { press, see, frame, connection } = await renderApp({ inSession: true, columns: 100, rows: 12 });
    connection.emit(contextReply);
    await see('Context inspector');
    await press(keys.end);
    await waitFor(() => expect(frame()).toContain('entries 900 · lore 600'));
    expect(frame()).not.toContain('Context inspector');
    await press(keys.home);
    await see('Context inspector');
  });
});
