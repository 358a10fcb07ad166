/** Clock, random source and logger fakes for engine tests. */
import { seededRandom as diceSeededRandom } from '../dice/seeded-random.ts';
import type { Clock, LogFields, Logger, RandomSource } from '../ports.ts';

export class ManualClock implements Clock {
  constructor(private time = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Deterministic pseudo-random numbers (mulberry32), seeded 42 unless told otherwise. */
export function seededRandom(seed = 42): RandomSource {
  return diceSeededRandom(seed);
}

/** Plays `values` in order, then repeats the last one. */
export function sequenceRandom(values: number[]): RandomSource {
  let at = 0;
  return { next: () => values[Math.min(at++, values.length - 1)] ?? 0 };
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields | undefined;
}

export class MemoryLogger implements Logger {
  readonly entries: LogEntry[] = [];
  info(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'error', message, fields });
  }
}
