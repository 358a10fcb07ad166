/** Small helpers shared by the provider tests (not used by production code). */
import type { ProvidersConfigInput } from '../config/providers-config.ts';
import { providersConfigSchema } from '../config/providers-config.ts';
import type { ChatRequest, Logger, StreamPart } from '../engine/ports.ts';
import { createModelGateway, type ModelGatewayDeps } from './model-gateway.ts';

export interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

export async function collect(stream: AsyncIterable<StreamPart>, onPart?: (part: StreamPart) => void): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) {
    parts.push(part);
    onPart?.(part);
  }
  return parts;
}

export const textOf = (parts: StreamPart[]) => parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
export const reasoningOf = (parts: StreamPart[]) => parts.flatMap((p) => (p.type === 'reasoning' ? [p.text] : [])).join('');
export const errorOf = (parts: StreamPart[]) => parts.find((p): p is Extract<StreamPart, { type: 'error' }> => p.type === 'error');
export const finishOf = (parts: StreamPart[]) => parts.find((p): p is Extract<StreamPart, { type: 'finish' }> => p.type === 'finish');

export function request(modelId: string, signal: AbortSignal = new AbortController().signal): ChatRequest {
  return { modelId, signal, messages: [{ role: 'system', content: 'You are the narrator.' }, { role: 'user', content: 'I open the door.' }] };
}

/** A gateway whose retries wait no real time; `sleeps` records the waits asked for. */
export function testGateway(config: ProvidersConfigInput, deps: Partial<ModelGatewayDeps> = {}) {
  const logger = recordingLogger();
  const sleeps: number[] = [];
  const gateway = createModelGateway(providersConfigSchema.parse({ local_discovery: false, ...config }), {
    logger,
    env: {},
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...deps,
  });
  return { gateway, logger, sleeps };
}
