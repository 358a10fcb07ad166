import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { packageVersion, runCli } from './program.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flower-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

describe('flower CLI', () => {
  it('prints the version from package.json', async () => {
    const result = await cli('--version');
    expect(result).toMatchObject({ code: 0, stdout: `${packageVersion()}\n` });
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('lists every subcommand in --help', async () => {
    const result = await cli('--help');
    expect(result.code).toBe(0);
    for (const name of ['start', 'tui', 'serve', 'models']) expect(result.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('documents the serve flags and their environment variables', async () => {
    const { code, stdout } = await cli('serve', '--help');
    expect(code).toBe(0);
    for (const text of ['--host', 'FLOWER_HOST', '--port', 'FLOWER_PORT', '--data-dir', 'FLOWER_DATA_DIR', '--config', 'FLOWER_CONFIG']) expect(stdout).toContain(text);
  });

  it('answers an unknown flag with one line and exit code 2', async () => {
    const result = await cli('serve', '--bogus');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("✗ unknown option '--bogus' (see flower --help)\n");
  });

  it('answers a bad port with one line and exit code 2', async () => {
    for (const port of ['abc', '70000', '-1', '1.5']) {
      const result = await cli('serve', '--port', port);
      expect(result.code, port).toBe(2);
      expect(result.stderr.trim().split('\n'), port).toHaveLength(1);
      expect(result.stderr).toMatch(/port must be a whole number from 0 to 65535/);
    }
  });

  it('answers a bad port the same way for start and serve: one line naming what is valid, exit code 2', async () => {
    for (const port of ['abc', '70000', '-1', '1.5', '']) {
      const [start, serve] = [await cli('start', '--port', port), await cli('serve', '--port', port)];
      expect(start.code, port).toBe(2);
      expect(start.stderr, port).toBe(serve.stderr);
      expect(start.stderr, port).toMatch(/^✗ option '--port <port>' argument '.*' is invalid\. port must be a whole number from 0 to 65535 \(0 picks a free port\)\. \(see flower --help\)\n$/);
    }
  });

  it('accepts port 0 for start as for serve (start then needs a terminal, not another port)', async () => {
    // `start` prints its own answers with console.error.
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const result = await cli('start', '--port', '0');
      expect(result).toMatchObject({ code: 1, stderr: '' });
      expect(printed.mock.calls.map((call) => String(call[0])).join('\n')).toMatch(/^✗ Flower's terminal UI needs an interactive terminal/);
    } finally {
      printed.mockRestore();
    }
  });

  it('names FLOWER_PORT when its value is bad, for start as for serve', async () => {
    const previous = process.env.FLOWER_PORT;
    process.env.FLOWER_PORT = '0x50';
    try {
      const [start, serve] = [await cli('start'), await cli('serve', '--data-dir', dir, '--config', join(dir, 'none.yaml'))];
      expect(start).toMatchObject({ code: 2, stderr: '✗ FLOWER_PORT="0x50" is not a port: it must be a whole number from 0 to 65535 (0 picks a free port)\n' });
      expect(serve).toMatchObject({ code: 2, stderr: start.stderr });
    } finally {
      if (previous === undefined) delete process.env.FLOWER_PORT;
      else process.env.FLOWER_PORT = previous;
    }
  });

  it('names FLOWER_PORT when its value is bad', async () => {
    const previous = process.env.FLOWER_PORT;
    process.env.FLOWER_PORT = 'many';
    try {
      const result = await cli('serve', '--data-dir', dir, '--config', join(dir, 'none.yaml'));
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('✗ FLOWER_PORT="many" is not a port: it must be a whole number from 0 to 65535 (0 picks a free port)\n');
    } finally {
      if (previous === undefined) delete process.env.FLOWER_PORT;
      else process.env.FLOWER_PORT = previous;
    }
  });

  it('reports a broken config file in one line with exit code 1, without a stack', async () => {
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'providers:\n  local:\n    type: telegraph\n');
    const result = await cli('serve', '--port', '0', '--data-dir', dir, '--config', config);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^✗ config ${config}: providers\\.local\\.type: .*openai-compatible`));
    expect(result.stderr).not.toMatch(/\s+at /);
  });

  it('wires `models` to the config named by --config', async () => {
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'default_model: [\n');
    const broken = await cli('models', '--config', config);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^✗ config .*not valid YAML/);
  });

  it('runs as the `flower` bin (tsx registered in the same process), with the same answers and exit codes', async () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'flower.js');
    const run = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
        execFile(process.execPath, [bin, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr })),
      );
    expect(await run('--version')).toMatchObject({ code: 0, stdout: `${packageVersion()}\n` });
    const bad = await run('start', '--port', '70000');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^✗ option '--port <port>' argument '70000' is invalid\. port must be a whole number from 0 to 65535/);
  });
});
