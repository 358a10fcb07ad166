/**
 * Loads the YAML config file. A missing file means defaults; a broken one is an expected
 * failure with a message naming the file, the field and what is valid.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { providersConfigSchema } from './providers-config.ts';

/**
 * The whole config file. Providers own the schema of their keys; this composes it and refuses
 * unknown top-level keys so a typo (`provider:`) is reported instead of silently ignored.
 */
export const FlowerConfig = providersConfigSchema.strict();
export type FlowerConfig = z.infer<typeof FlowerConfig>;

export interface LoadedConfig {
  config: FlowerConfig;
  file: string;
  exists: boolean;
  /** Things the player should know but that do not stop the engine (file permissions). */
  warnings: string[];
}

/** A failure the player can fix; printed as one line, never with a stack. */
export class ConfigError extends Error {
  readonly expected = true;
  override name = 'ConfigError';
}

export function loadConfig(file: string): LoadedConfig {
  const text = readConfigText(file);
  if (text === undefined) return { config: FlowerConfig.parse({}), file, exists: false, warnings: [] };

  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const yamlError = document.errors[0];
  if (yamlError) throw new ConfigError(`config ${file}: not valid YAML: ${firstLine(yamlError.message)}`);
  const raw: unknown = document.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`config ${file}: expected a mapping of keys (default_model, providers), found ${Array.isArray(raw) ? 'a list' : typeof raw}`);
  }

  const parsed = FlowerConfig.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => describeIssue(issue, FlowerConfig));
    throw new ConfigError(`config ${file}: ${problems.join('; ')}`);
  }
  return { config: parsed.data, file, exists: true, warnings: permissionWarnings(file, parsed.data) };
}

function readConfigText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new ConfigError(`config ${file}: is a directory, expected a YAML file`);
    throw new ConfigError(`config ${file}: cannot be read (${code ?? (error as Error).message})`);
  }
}

const firstLine = (text: string): string => (text.split('\n')[0] ?? text).replace(/:\s*$/, '');

// ---------------------------------------------------------------- messages

const fieldPath = (path: readonly PropertyKey[]): string => (path.length === 0 ? 'top level' : path.map(String).join('.'));

function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType): string {
  const where = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const valid = objectKeysAt(schema, issue.path);
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    return `${where}: unknown key ${keys}${valid ? ` (valid keys: ${valid.join(', ')})` : ''}`;
  }
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0]?.message ?? issue.message;
    return `${where}: invalid name: ${inner}`;
  }
  return `${where}: ${issue.message}`;
}

/** The keys an object schema accepts at `path`, so an unknown key can be answered with the valid ones. */
function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (current instanceof z.ZodObject) current = unwrap((current.shape as Record<string, z.ZodType>)[String(key)]);
    else if (current instanceof z.ZodRecord) current = unwrap(current.valueType as z.ZodType);
    else return undefined;
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : undefined;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

// ---------------------------------------------------------------- secrets

const SECRET_KEY = /(^|_)(api_?key|key|token|secret|password)$/i;

const SECRET_ENV = /(_API_KEY|_TOKEN|_SECRET)$/;

/**
 * Every secret the config names: inline keys and the values of the env vars it points to
 * (`*_env` keys), plus provider keys taken from the environment by convention
 * (`OPENAI_API_KEY`...). The logger redacts these wherever they appear.
 */
export function configSecrets(config: unknown, env: NodeJS.ProcessEnv): string[] {
  const secrets = new Set<string>();
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (SECRET_KEY.test(key)) secrets.add(value);
      if (key.endsWith('_env') && env[value]) secrets.add(env[value]);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [childKey, child] of Object.entries(value)) visit(child, childKey);
  };
  visit(config, '');
  for (const [name, value] of Object.entries(env)) if (value && SECRET_ENV.test(name)) secrets.add(value);
  return [...secrets].filter((secret) => secret.length >= 6);
}

function holdsInlineSecrets(config: unknown): boolean {
  return configSecrets(config, {}).length > 0;
}

function permissionWarnings(file: string, config: FlowerConfig): string[] {
  if (process.platform === 'win32' || !holdsInlineSecrets(config)) return [];
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return [];
  return [`config ${file} holds API keys and is readable by group/others (mode ${mode.toString(8)}); run: chmod 600 ${file}`];
}
