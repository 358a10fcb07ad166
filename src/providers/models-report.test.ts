import { afterEach, expect, it } from 'vitest';
import { startOllamaServer } from '../../test/support/ollama-server.ts';
import { startOpenAiServer } from '../../test/support/openai-sse-server.ts';
import { providersConfigSchema } from '../config/providers-config.ts';
import { runModelsReport } from './models-report.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

it('lists models per provider and says why the others are missing', async () => {
  const openrouter = await startOpenAiServer({ models: [{ id: 'anthropic/claude-sonnet-4', name: 'Claude Sonnet 4', pricing: { prompt: '0.000003', completion: '0.000015' }, context_length: 200000 }] });
  const ollama = await startOllamaServer([{ name: 'llama3.1:8b' }]);
  const broken = await startOpenAiServer({ modelsStatus: 500 });
  const gone = await startOpenAiServer();
  const gonePort = Number(new URL(gone.url).port);
  await gone.close();
  closers.push(() => openrouter.close(), () => ollama.close(), () => broken.close());

  const config = providersConfigSchema.parse({
    default_model: 'openrouter/anthropic/claude-sonnet-4',
    providers: {
      openrouter: { type: 'openrouter', base_url: openrouter.url },
      lab: { type: 'openai-compatible', base_url: broken.url },
      claude: { type: 'anthropic', api_key_env: 'MY_CLAUDE_KEY' },
    },
    local_ports: { ollama: Number(new URL(ollama.root).port), lmstudio: gonePort, llamacpp: gonePort, koboldcpp: gonePort },
  });
  const lines: string[] = [];
  await runModelsReport(config, { OPENROUTER_API_KEY: 'or-key-1234' }, (line) => lines.push(line));
  const text = lines.join('\n');

  expect(text).toContain(`✓ openrouter (OpenRouter, ${openrouter.url}, key from OPENROUTER_API_KEY): 1 model`);
  expect(text).toContain('    openrouter/anthropic/claude-sonnet-4  Claude Sonnet 4 · $3.00 in / $15.00 out per M tokens · 200k context');
  expect(text).toContain('✓ ollama (Ollama');
  expect(text).toContain('    ollama/llama3.1:8b');
  expect(text).toMatch(/✗ lab \(OpenAI-compatible endpoint, .*\): listing failed: .*HTTP 500/);
  expect(text).toContain(`· lmstudio (LM Studio): not answering at http://127.0.0.1:${gonePort}`);
  expect(text).toContain('· claude (anthropic): no API key: set MY_CLAUDE_KEY (named by api_key_env)');
  expect(text).toContain('· openai (openai): no API key: set OPENAI_API_KEY');
  expect(text).toContain('· gemini (gemini): no API key: set GEMINI_API_KEY or GOOGLE_GENERATIVE_AI_API_KEY');
  expect(text).toContain('2 models available');
  expect(text).toContain('Default model: openrouter/anthropic/claude-sonnet-4');
});
