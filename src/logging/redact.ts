/**
 * Removes API keys from log output: the known key values from the config and environment,
 * anything shaped like a provider key or bearer token, and fields whose name says "secret".
 */

const REDACTED = '[redacted]';

/** Key shapes of the providers we support, plus bearer tokens and `key=value` leaks; `$1` keeps the label. */
const KEY_PATTERNS: Array<[RegExp, string]> = [
  [/\bsk-[A-Za-z0-9_-]{12,}/g, REDACTED], // OpenAI, Anthropic (sk-ant-), DeepSeek, OpenRouter (sk-or-)
  [/\bAIza[0-9A-Za-z_-]{30,}/g, REDACTED], // Google
  [/\bgsk_[A-Za-z0-9]{20,}/g, REDACTED], // Groq
  [/\bxai-[A-Za-z0-9]{20,}/g, REDACTED],
  [/\b((?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  [/\b((?:api[_-]?key|apikey|access[_-]?token|x-api-key|x-goog-api-key|key)["']?\s*[:=]\s*["']?)[^\s"'&,;}]{6,}/gi, `$1${REDACTED}`],
];

const SECRET_FIELD = /^(api[_-]?key|apikey|authorization|x-api-key|password|secret|token|access[_-]?token|client[_-]?secret)$/i;

export interface Redactor {
  text(value: string): string;
  fields(value: Record<string, unknown>): Record<string, unknown>;
  /** Adds values known to be secret (keys from the config or the environment). */
  addSecrets(values: Iterable<string>): void;
}

export function createRedactor(initialSecrets: Iterable<string> = []): Redactor {
  // Longest first so a key that contains another is replaced whole.
  let secrets: string[] = [];
  const addSecrets = (values: Iterable<string>): void => {
    const next = new Set(secrets);
    for (const value of values) if (value.length >= 6) next.add(value);
    secrets = [...next].sort((a, b) => b.length - a.length);
  };
  addSecrets(initialSecrets);

  const text = (value: string): string => {
    let out = value;
    for (const secret of secrets) out = out.split(secret).join(REDACTED);
    for (const [pattern, replacement] of KEY_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };

  const any = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return text(value);
    if (value instanceof Error) return { name: value.name, message: text(value.message), ...(value.stack ? { stack: text(value.stack) } : {}) };
    if (typeof value !== 'object' || value === null || depth > 6) return value;
    if (Array.isArray(value)) return value.map((item) => any(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = SECRET_FIELD.test(key) ? REDACTED : any(child, depth + 1);
    return out;
  };

  return {
    text,
    fields: (value) => any(value, 0) as Record<string, unknown>,
    addSecrets,
  };
}
