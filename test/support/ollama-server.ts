/**
 * A local Ollama: its native `GET /api/tags` listing (recorded shape) plus its OpenAI-compatible
 * `/v1` chat endpoint, scripted like the OpenAI test server.
 */
import { startOpenAiServer, type OpenAiServer, type OpenAiServerOptions } from './openai-sse-server.ts';

export interface OllamaTag {
  name: string;
  parameterSize?: string;
  family?: string;
}

export interface OllamaServer extends OpenAiServer {
  /** The server root, as `base_url` for `type: ollama` (no `/v1`). */
  root: string;
}

export function ollamaTags(tags: OllamaTag[]) {
  return {
    models: tags.map((tag) => ({
      name: tag.name,
      model: tag.name,
      modified_at: '2025-05-01T10:12:31.612745+02:00',
      size: 4920753328,
      digest: 'a2af6cc3eb7fa8be8504abaf9b04e88f17a119ec3f04a3addf55f92841195f5a',
      details: {
        parent_model: '',
        format: 'gguf',
        family: tag.family ?? 'llama',
        families: [tag.family ?? 'llama'],
        parameter_size: tag.parameterSize ?? '8.0B',
        quantization_level: 'Q4_K_M',
      },
    })),
  };
}

export async function startOllamaServer(tags: OllamaTag[], options: Omit<OpenAiServerOptions, 'routes'> = {}): Promise<OllamaServer> {
  const server = await startOpenAiServer({ ...options, routes: { '/api/tags': ollamaTags(tags) } });
  return Object.assign(server, { root: server.url.replace(/\/v1$/, '') });
}
