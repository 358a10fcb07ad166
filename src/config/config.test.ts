import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, configSecrets, loadConfig } from './config.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flower-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (text: string, mode = 0o600): string => {
  const file = join(dir, 'config.yaml');
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
};

const failure = (file: string): string => {
  try {
    loadConfig(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected loadConfig to fail');
};

describe('loadConfig', () => {
  it('gives defaults when the file is missing', () => {
    const loaded = loadConfig(join(dir, 'nope.yaml'));
    expect(loaded.exists).toBe(false);
    expect(loaded.config.providers).toEqual({});
    expect(loaded.config.default_model).toBeUndefined();
  });

  it('treats an empty file as defaults', () => {
    expect(loadConfig(write('')).config.providers).toEqual({});
  });

  it('reads an openai-compatible provider', () => {
    const file = write('default_model: local/m\nproviders:\n  local:\n    type: openai-compatible\n    base_url: http://127.0.0.1:1234/v1\n');
    const loaded = loadConfig(file);
    expect(loaded.exists).toBe(true);
    expect(loaded.config.default_model).toBe('local/m');
    expect(loaded.config.providers.local).toMatchObject({ type: 'openai-compatible', base_url: 'http://127.0.0.1:1234/v1' });
  });

  it('names the file and the YAML problem for bad YAML', () => {
    const file = write('providers: [unclosed\n');
    const message = failure(file);
    expect(message).toContain(file);
    expect(message).toMatch(/not valid YAML/);
    expect(message).not.toContain('\n');
  });

  it('names the field and what is valid for a schema error', () => {
    const file = write('providers:\n  local:\n    type: carrier-pigeon\n');
    const message = failure(file);
    expect(message).toContain(file);
    expect(message).toContain('providers.local.type');
    expect(message).toMatch(/openai-compatible/);
  });

  it('lists the valid keys for an unknown key', () => {
    const message = failure(write('provider:\n  local: {}\n'));
    expect(message).toMatch(/top level: unknown key "provider" \(valid keys: .*providers/);
  });

  it('refuses a config that is not a mapping', () => {
    expect(failure(write('- a\n- b\n'))).toMatch(/expected a mapping/);
  });

  it('warns when a file holding keys is readable by others, and not when it is private', () => {
    const yaml = 'providers:\n  local:\n    type: openai-compatible\n    base_url: http://127.0.0.1:1/v1\n    api_key: sk-test-123456789\n';
    const open = loadConfig(write(yaml, 0o644));
    expect(open.warnings).toHaveLength(1);
    expect(open.warnings[0]).toMatch(/readable by group\/others \(mode 644\).*chmod 600/);
    expect(loadConfig(write(yaml, 0o600)).warnings).toEqual([]);
  });

  it('does not warn about a readable file without keys', () => {
    expect(loadConfig(write('default_model: a/b\n', 0o644)).warnings).toEqual([]);
  });
});

describe('configSecrets', () => {
  it('collects inline keys and the values of the env vars named by *_env keys', () => {
    const config = { providers: { a: { api_key: 'sk-inline-abcdef' }, b: { api_key_env: 'B_KEY' } }, total_tokens: 5 };
    expect(configSecrets(config, { B_KEY: 'gsk_from_env_123' }).sort()).toEqual(['gsk_from_env_123', 'sk-inline-abcdef']);
  });

  it('includes provider keys the environment holds by convention', () => {
    expect(configSecrets({}, { OPENROUTER_API_KEY: 'or-key-123456', HOME: '/root', SHORT_TOKEN: 'abc' })).toEqual(['or-key-123456']);
  });
});
