import type { LogFields, Logger } from '../../engine/ports.ts';

export interface LogRecord {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/** A Logger that keeps records in memory for assertions. */
export function memoryLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at = (level: LogRecord['level']) => (message: string, fields: LogFields = {}) => {
    records.push({ level, message, fields });
  };
  return { records, info: at('info'), warn: at('warn'), error: at('error') };
}
