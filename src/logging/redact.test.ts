import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact.ts';

describe('redactor', () => {
  it('removes known secret values wherever they appear', () => {
    const redact = createRedactor(['my-local-secret-value']);
    expect(redact.text('failed with key my-local-secret-value!')).toBe('failed with key [redacted]!');
    redact.addSecrets(['another-one-42']);
    expect(redact.text('x another-one-42 y')).toBe('x [redacted] y');
  });

  it('removes key-shaped strings of the providers', () => {
    const redact = createRedactor();
    const samples = ['sk-abcdefghijklmnop1234', 'sk-ant-api03-abcdefghijklmnop', 'sk-or-v1-0123456789abcdef', `AIza${'x'.repeat(35)}`, `gsk_${'a1'.repeat(15)}`];
    for (const sample of samples) expect(redact.text(`key ${sample} end`)).toBe('key [redacted] end');
  });

  it('keeps the label of bearer tokens and key=value pairs', () => {
    const redact = createRedactor();
    expect(redact.text('Authorization: Bearer abc.def-123456')).toBe('Authorization: Bearer [redacted]');
    expect(redact.text('https://x.test/v1?key=abcdef123456&alt=sse')).toBe('https://x.test/v1?key=[redacted]&alt=sse');
    expect(redact.text('{"api_key": "plainvalue99"}')).toBe('{"api_key": "[redacted]"}');
  });

  it('leaves ordinary text alone', () => {
    const redact = createRedactor();
    const text = 'listening on ws://127.0.0.1:8000/ws/rpc; 12 tokens; sketchy skies';
    expect(redact.text(text)).toBe(text);
  });

  it('redacts secret-named fields and nested values but not token counts', () => {
    const redact = createRedactor(['hunter2-secret']);
    const out = redact.fields({
      api_key: 'anything',
      headers: { authorization: 'Bearer x', 'x-api-key': 'y' },
      outputTokens: 12,
      total_tokens: 30,
      note: ['contains hunter2-secret'],
      error: new Error('bad key sk-abcdefghijklmnopqrst'),
    });
    expect(out).toMatchObject({
      api_key: '[redacted]',
      headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' },
      outputTokens: 12,
      total_tokens: 30,
      note: ['contains [redacted]'],
      error: { name: 'Error', message: 'bad key [redacted]' },
    });
    expect(JSON.stringify(out)).not.toMatch(/sk-abc|hunter2/);
  });
});
