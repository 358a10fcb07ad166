/**
 * The Logger port's adapter: JSON lines to `<data-dir>/flower.log` and, when given a stream
 * (for `serve`), readable lines to stderr. Everything passes the redactor first. Logging never
 * throws: a full disk must not take a story turn down with it.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogFields, Logger } from '../engine/ports.ts';
import { createRedactor, type Redactor } from './redact.ts';

export type LogLevel = 'info' | 'warn' | 'error';

export interface TextSink {
  write(text: string): unknown;
}

export interface LoggerOptions {
  /** JSON-lines file; its folder is created. Omit for no file. */
  file?: string;
  /** Readable lines, e.g. `process.stderr`. Omit for none. */
  console?: TextSink;
  secrets?: Iterable<string>;
  now?: () => Date;
}

export interface FlowerLogger extends Logger {
  readonly redactor: Redactor;
  close(): void;
}

export function createLogger(options: LoggerOptions = {}): FlowerLogger {
  const redactor = createRedactor(options.secrets ?? []);
  const now = options.now ?? (() => new Date());
  let fd = options.file ? openLogFile(options.file) : undefined;

  const log = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    const time = now();
    const safeMessage = redactor.text(message);
    const safeFields = redactor.fields(fields);
    if (fd !== undefined) {
      const line = JSON.stringify({ time: time.toISOString(), level, msg: safeMessage, ...safeFields });
      try {
        writeSync(fd, `${line}\n`);
      } catch {
        // The log is best effort; losing a line beats failing the caller.
      }
    }
    options.console?.write(`${readableLine(time, level, safeMessage, safeFields)}\n`);
  };

  return {
    redactor,
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    close: () => {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
    },
  };
}

function openLogFile(file: string): number | undefined {
  try {
    mkdirSync(dirname(file), { recursive: true });
    return openSync(file, 'a', 0o600);
  } catch {
    return undefined;
  }
}

/** `22:10:49 WARN message key=value`: errors show their message only, never a stack. */
function readableLine(time: Date, level: LogLevel, message: string, fields: Record<string, unknown>): string {
  const clock = time.toISOString().slice(11, 19);
  const parts = Object.entries(fields).map(([key, value]) => `${key}=${readableValue(value)}`);
  return [clock, level.toUpperCase().padEnd(5), message, ...parts].join(' ').trimEnd();
}

function readableValue(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (typeof value === 'object' && value !== null && 'message' in value && 'name' in value) return JSON.stringify((value as { message: unknown }).message);
  return JSON.stringify(value) ?? String(value);
}
