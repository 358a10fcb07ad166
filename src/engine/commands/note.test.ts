import { describe, expect, it } from 'vitest';
import { ContextManifest } from '../../protocol/index.ts';
import { createHarness } from '../testing/harness.ts';
import { reply, ScriptedModels, testModel } from '../testing/scripted-models.ts';
import { MAX_NOTE_CHARS } from './note.ts';
import { playStory } from './story-test-support.ts';

const NOTE = 'Keep the tone grim; Mara is hiding something.';

describe('/note', () => {
  it("sets the session's note for every client of the profile, shows it, and clears it", async () => {
    const h = createHarness();
    const asker = h.connect('default', 'asker');
    const other = h.connect('default', 'other');
    const sessionId = await h.prepareStage(asker);
    other.take();

    await asker.send(`/note ${NOTE}`);
    for (const client of [asker, other]) {
      expect(client.lines()).toEqual([`system_update: ✓ Author's note set: ${NOTE}`, 'sync_state: State synchronized']);
      expect(client.events[0]?.metadata).toEqual({ session_id: sessionId, session_note: NOTE });
      expect(client.last('sync_state')?.metadata.session_note).toBe(NOTE);
      client.take();
    }
    expect(h.store.sessions.note(sessionId)).toBe(NOTE);

    await asker.send('/note');
    expect(asker.lines()).toEqual([`system_update: ✓ Author's note: ${NOTE}`]);
    expect(other.events).toEqual([]);
    asker.take();

    await asker.send('/note CLEAR');
    for (const client of [asker, other]) {
      expect(client.lines()).toEqual(["system_update: ✓ Author's note cleared", 'sync_state: State synchronized']);
      expect(client.last('sync_state')?.metadata.session_note).toBe('');
      client.take();
    }
    expect(h.store.sessions.note(sessionId)).toBe('');

    await asker.send('/note');
    await asker.send('/note clear');
    expect(asker.lines()).toEqual([
      "system_update: ✓ This session has no author's note. Set one with /note <text>.",
      "system_update: ✓ This session has no author's note to clear.",
    ]);
    expect(other.events).toEqual([]);
  });

  it('refuses without a session and a note that is too long, changing nothing', async () => {
    const h = createHarness();
    const client = h.connect();
    client.take();
    await client.send(`/note ${NOTE}`);
    await client.send('/note');
    const noSession = '✗ No active session: start one with /session new or pick one with /session continue <id>.';
    expect(client.lines()).toEqual([`system_update: ${noSession}`, `system_update: ${noSession}`]);
    const sessionId = await h.prepareStage(client);
    await client.send(`/note ${'x'.repeat(MAX_NOTE_CHARS + 1)}`);
    expect(client.lines()).toEqual(["system_update: ✗ The author's note is 4,001 characters; it may be at most 4,000. Usage: /note [text|clear]"]);
    expect(h.store.sessions.note(sessionId)).toBe('');
  });

  it('goes to the narrator just before the player message, outside the system message, as a manifest block', async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [testModel('p/narrator', { contextLength: 4096 })] }) });
    const client = h.connect();
    const sessionId = await playStory(h, client, [['I wave.', 'The guard nods.']]);
    const before = h.models.requests.at(-1);
    await client.send('/note {{user}} is watched; {{char}} stays grim.');
    h.models.enqueue(reply('The guard frowns.'));
    await client.send('I bow.');
    await client.waitForEnd();

    const request = h.models.requests.at(-1)!;
    const note = "[Author's note: Sir Alric is watched; The Castle stays grim.]";
    expect(request.messages.at(-1)).toEqual({ role: 'user', content: `${note}\n\nI bow.` });
    // The cached prefix is untouched: the same stable system sections, then the history, then the note.
    const stable = (content = '') => (content.split('### CURRENT CONTEXT ###')[0] ?? '').replace('Never break character.', '').trimEnd();
    expect(stable(request.messages[0]?.content)).not.toBe('');
    expect(stable(request.messages[0]?.content)).toBe(stable(before?.messages[0]?.content));
    expect(request.messages[0]?.content).not.toContain('watched');
    expect(request.messages.slice(1, -1).map((m) => m.content)).toEqual(['Rain lashes the drawbridge as you arrive.', 'I wave.', 'The guard nods.']);
    expect(request.messages.filter((m) => m.content.includes("Author's note"))).toHaveLength(1);
    // Stored as the player wrote it.
    expect(h.store.messages.list(sessionId).at(-2)?.content).toBe('I bow.');

    client.take();
    await client.send('/context');
    const manifest = ContextManifest.parse(client.events[0]?.metadata.context_manifest);
    expect(manifest.blocks.map((b) => b.kind).slice(-4)).toEqual(['closing', 'history', 'note', 'user_message']);
    expect(manifest.blocks.find((b) => b.kind === 'note')).toMatchObject({ label: "Author's note", tokens: expect.any(Number) });
    expect(manifest.budgets['note']).toBe(Math.floor(manifest.input_budget / 8));
    expect(manifest.total_tokens).toBeLessThanOrEqual(manifest.input_budget);
    expect(client.events[0]?.content).toContain("author's note");

    await client.send('/note clear');
    h.models.enqueue(reply('The guard shrugs.'));
    await client.send('I leave.');
    await client.waitForEnd();
    expect(h.models.requests.at(-1)?.messages.at(-1)).toEqual({ role: 'user', content: 'I leave.' });
  });

  it('reaches /regenerate too, and a long one is cut and never pushes the request over the context', async () => {
    const h = createHarness({ models: new ScriptedModels({ models: [testModel('p/small', { contextLength: 1536 })] }) });
    const client = h.connect();
    await playStory(h, client, [['I wave.', 'The guard nods.']]);
    await client.send(`/note ${Array.from({ length: 600 }, (_, i) => `grim${i % 9}`).join(' ')}`);
    h.models.enqueue(reply('The guard waves back.'));
    await client.send('/regenerate');
    await client.waitForEnd();
    const request = h.models.requests.at(-1)!;
    expect(request.messages.at(-1)?.content).toMatch(/^\[Author's note: grim0 grim1 .*…\]\n\nI wave\.$/s);
    client.take();
    await client.send('/context');
    const manifest = ContextManifest.parse(client.events[0]?.metadata.context_manifest);
    expect(manifest.blocks.find((b) => b.kind === 'note')).toMatchObject({ truncated: true });
    expect(manifest.total_tokens).toBeLessThanOrEqual(manifest.input_budget);
  });
});
