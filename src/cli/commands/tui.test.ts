import { describe, expect, it } from 'vitest';
import { checkEngineUrl, DEFAULT_URL, runTuiCommand } from './tui.ts';

describe('tui --url', () => {
  it('opens the UI on a ws:// or wss:// URL', async () => {
    const urls: string[] = [];
    const runTui = async ({ url }: { url: string }) => {
      urls.push(url);
      return 0;
    };
    expect(await runTuiCommand({ url: 'ws://10.0.0.2:8000/ws/rpc' }, { runTui, err: () => undefined })).toBe(0);
    expect(await runTuiCommand({ url: DEFAULT_URL }, { runTui, err: () => undefined })).toBe(0);
    expect(urls).toEqual(['ws://10.0.0.2:8000/ws/rpc', 'ws://127.0.0.1:8000/ws/rpc']);
    expect(checkEngineUrl('wss://example.org/ws/rpc')).toBeUndefined();
  });

  it('refuses anything else with a ✗ line naming what is valid', async () => {
    const errors: string[] = [];
    const runTui = async () => 0;
    expect(await runTuiCommand({ url: 'http://localhost:8000' }, { runTui, err: (l) => errors.push(l) })).toBe(1);
    expect(await runTuiCommand({ url: 'localhost:8000' }, { runTui, err: (l) => errors.push(l) })).toBe(1);
    expect(await runTuiCommand({ url: 'not a url' }, { runTui, err: (l) => errors.push(l) })).toBe(1);
    expect(errors[0]).toMatch(/^✗ "http:\/\/localhost:8000" uses http; .*ws:\/\//);
    expect(errors[2]).toMatch(/^✗ "not a url" is not a URL/);
  });
});
