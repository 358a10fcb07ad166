import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from './logger.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flower-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fixedNow = () => new Date('2026-01-02T03:04:05.000Z');

describe('logger', () => {
  it('writes JSON lines to the file (creating its folder) and readable lines to the console', () => {
    const file = join(dir, 'nested', 'flower.log');
    const console: string[] = [];
    const logger = createLogger({ file, console: { write: (text) => console.push(text) }, now: fixedNow });
    logger.info('engine started', { port: 8000 });
    logger.warn('listing failed', { provider: 'local', error: new Error('connect ECONNREFUSED') });
    logger.close();

    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toEqual({ time: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'engine started', port: 8000 });
    expect(lines[1]).toMatchObject({ level: 'warn', msg: 'listing failed', provider: 'local', error: { message: 'connect ECONNREFUSED' } });
    expect(statSync(file).mode & 0o077).toBe(0);

    expect(console[0]).toBe('03:04:05 INFO  engine started port=8000\n');
    expect(console[1]).toBe('03:04:05 WARN  listing failed provider=local error="connect ECONNREFUSED"\n');
    expect(console.join('')).not.toMatch(/at .*\.ts:/); // no stack on the console
  });

  it('never writes a key to the file or the console', () => {
    const file = join(dir, 'flower.log');
    const console: string[] = [];
    const logger = createLogger({ file, console: { write: (text) => console.push(text) }, secrets: ['local-key-abcdef'] });
    logger.error('upstream said: invalid key local-key-abcdef', { api_key: 'local-key-abcdef', url: 'http://x/?key=local-key-abcdef', header: 'Bearer sk-zzzzzzzzzzzzzzzzzz' });
    logger.close();
    const written = readFileSync(file, 'utf8') + console.join('');
    expect(written).not.toContain('local-key-abcdef');
    expect(written).not.toContain('sk-zzzz');
    expect(written).toContain('[redacted]');
  });

  it('keeps working when the log file cannot be opened', () => {
    const notADir = join(dir, 'plain-file');
    writeFileSync(notADir, '');
    const logger = createLogger({ file: join(notADir, 'sub', 'flower.log') });
    expect(() => logger.info('still fine')).not.toThrow();
    logger.close();
  });
});
