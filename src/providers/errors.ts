/**
 * Turns whatever a provider call failed with (AI SDK errors, stream error events, thrown
 * network errors) into one of our error kinds and a plain-language message that names the
 * provider and says what to do. Messages never contain API keys.
 */
// From the package `ai` re-exports it from: importing `ai` here would load all of it at start-up.
import { APICallError } from '@ai-sdk/provider';
import type { ProviderErrorKind } from '../engine/ports.ts';

export interface ErrorContext {
  /** Provider name as configured (`openrouter`, `work-proxy`). */
  provider: string;
  /** Human name of the provider type ("Anthropic"). */
  label: string;
  baseUrl: string;
  modelId: string;
  local: boolean;
  /** Where the key comes from: an env var name, or `config` for `api_key` in the config file. */
  keySource?: string;
  secrets: readonly string[];
}

export interface ClassifiedError {
  kind: ProviderErrorKind;
  message: string;
  retryable: boolean;
  /** Milliseconds the provider asked us to wait (Retry-After), when it said so. */
  retryAfterMs?: number;
  status?: number;
}

const CONTEXT_LENGTH = /context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long|input is too long|exceeds? the (maximum|context|model)|token limit|reduce the length|max_tokens.*too large/i;
const UNKNOWN_MODEL = /model[^.]{0,80}(not found|does not exist|not exist|invalid|unknown|not a valid|unsupported|is not available|no endpoints)|unknown model|invalid model|not a valid model|no such model|model_not_found/i;
const BAD_KEY = /api key not valid|invalid api key|incorrect api key|invalid x-api-key|api_key_invalid|invalid authentication/i;
const CONTENT_FILTER = /content[ _-]?filter|content management policy|safety|moderation|flagged|blocked|refus/i;

/** Replaces every secret in `text` with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

export function parseRetryAfter(headers: Record<string, string> | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = Number(lower['retry-after-ms']);
  if (lower['retry-after-ms'] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const value = lower['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The upstream's own error message, from the usual JSON error shapes. */
function upstreamMessage(body: string | undefined, data: unknown): string {
  const fromData = pickMessage(data);
  if (fromData) return fromData;
  if (!body) return '';
  try {
    return pickMessage(JSON.parse(body)) ?? '';
  } catch {
    return body.trim().startsWith('<') ? '' : body.trim();
  }
}

function pickMessage(value: unknown): string | undefined {
  if (Array.isArray(value)) return pickMessage(value[0]);
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.error === 'string') return record.error;
  if (typeof record.message === 'string') return record.message;
  if (typeof record.detail === 'string') return record.detail;
  return pickMessage(record.error);
}

const short = (text: string): string => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 240 ? `${oneLine.slice(0, 237)}...` : oneLine;
};

function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError' || error.name === 'ResponseAborted');
}

export function classifyError(error: unknown, context: ErrorContext, now: number): ClassifiedError {
  const result = classify(error, context, now);
  return { ...result, message: redact(result.message, context.secrets) };
}

function classify(error: unknown, ctx: ErrorContext, now: number): ClassifiedError {
  const who = `${ctx.provider} (${ctx.label})`;
  if (isAbortError(error)) return { kind: 'aborted', message: `The request to ${who} was cancelled.`, retryable: false };

  if (APICallError.isInstance(error)) {
    // A 2xx APICallError is a body that broke off after the headers arrived.
    if (error.statusCode === undefined || error.statusCode < 300) return networkError(error, ctx);
    return httpError(error.statusCode, upstreamMessage(error.responseBody, error.data), parseRetryAfter(error.responseHeaders, now), ctx);
  }

  // Mid-stream error events (Anthropic `event: error`, OpenAI-style `{"error": {...}}` chunks).
  const streamType = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
  const streamMessage = pickMessage(error) ?? (error instanceof Error ? error.message : '');
  if (streamType === 'overloaded_error' || streamType === 'api_error') return httpError(529, streamMessage, undefined, ctx);
  if (streamType === 'rate_limit_error') return httpError(429, streamMessage, undefined, ctx);
  if (streamType === 'authentication_error' || streamType === 'permission_error') return httpError(401, streamMessage, undefined, ctx);
  if (streamType === 'invalid_request_error' || streamType === 'not_found_error') return httpError(400, streamMessage, undefined, ctx);

  const name = error instanceof Error ? error.name : '';
  if (/JSONParse|TypeValidation|InvalidResponseData|EmptyResponseBody|NoOutputGenerated|NoContentGenerated/i.test(name)) {
    return {
      kind: 'bad_response',
      message: `${who} sent a response Flower could not read. Check that base_url (${ctx.baseUrl}) points at a ${ctx.label} API.`,
      retryable: false,
    };
  }
  if (networkCode(error)) return networkError(error, ctx);
  if (error instanceof TypeError || error instanceof SyntaxError) {
    return {
      kind: 'bad_response',
      message: `${who} sent a response Flower could not read (${short(error.message)}). Check that base_url (${ctx.baseUrl}) points at a ${ctx.label} API.`,
      retryable: false,
    };
  }
  return {
    kind: 'upstream',
    message: `${who} failed: ${short(streamMessage || String(error)) || 'unknown error'}.`,
    retryable: false,
  };
}

function networkError(error: unknown, ctx: ErrorContext): ClassifiedError {
  const code = networkCode(error);
  const who = `${ctx.provider} (${ctx.label})`;
  const advice = ctx.local ? `Is ${ctx.label} running there?` : 'Check your internet connection and the base_url in the config.';
  if (code === 'ECONNREFUSED' || code === 'ConnectionRefused') {
    return { kind: 'network', message: `Could not reach ${who} at ${ctx.baseUrl}: the connection was refused. ${advice}`, retryable: true };
  }
  return { kind: 'network', message: `The connection to ${who} at ${ctx.baseUrl} failed${code ? ` (${code})` : ''}. ${advice}`, retryable: true };
}

function httpError(status: number, upstream: string, retryAfterMs: number | undefined, ctx: ErrorContext): ClassifiedError {
  const who = `${ctx.provider} (${ctx.label})`;
  const said = upstream ? ` It said: "${short(upstream)}"` : '';
  if (status === 401 || status === 403 || (status === 400 && BAD_KEY.test(upstream))) {
    const where =
      ctx.keySource === 'config'
        ? `the api_key of provider ${ctx.provider} in the config file`
        : ctx.keySource
          ? `the key in the environment variable ${ctx.keySource}`
          : `whether this server needs an api_key (set it for provider ${ctx.provider} in the config file)`;
    return { kind: 'auth', status, retryable: false, message: `${who} refused the API key (HTTP ${status}). Check ${where}.${said}` };
  }
  if (status === 429) {
    return {
      kind: 'rate_limit',
      status,
      retryable: true,
      retryAfterMs,
      message: `${who} is rate-limiting requests (HTTP 429). Wait a little and try again, or check your plan's limits.${said}`,
    };
  }
  if (status === 402) return { kind: 'upstream', status, retryable: false, message: `${who} says payment is required (HTTP 402): check your credits or billing.${said}` };
  if (CONTEXT_LENGTH.test(upstream) && status < 500) {
    return {
      kind: 'context_length',
      status,
      retryable: false,
      message: `The conversation is too long for ${ctx.modelId} on ${who}. Start a new session or pick a model with a longer context.${said}`,
    };
  }
  if (status === 404 || (status < 500 && UNKNOWN_MODEL.test(upstream))) {
    return {
      kind: 'unknown_model',
      status,
      retryable: false,
      message: `${who} does not know the model "${ctx.modelId}" (HTTP ${status}). Pick another with /model (\`flower models\` lists them), or check base_url (${ctx.baseUrl}).${said}`,
    };
  }
  if (status < 500 && CONTENT_FILTER.test(upstream)) return contentFilter(ctx, upstream);
  if (status >= 500 || status === 408) {
    return {
      kind: 'upstream',
      status,
      retryable: true,
      retryAfterMs,
      message: `${who} had a server error (HTTP ${status}). Try again in a moment.${said}`,
    };
  }
  return { kind: 'upstream', status, retryable: false, message: `${who} answered HTTP ${status}.${said}` };
}

export function contentFilter(ctx: Pick<ErrorContext, 'provider' | 'label' | 'modelId'>, upstream = ''): ClassifiedError {
  const said = upstream ? ` It said: "${short(upstream)}"` : '';
  return {
    kind: 'content_filter',
    retryable: false,
    message: `${ctx.provider} (${ctx.label}) refused to continue: its content filter blocked the reply from ${ctx.modelId}. Rephrase your message, or pick another model with /model.${said}`,
  };
}
