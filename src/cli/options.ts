/** Options shared by subcommands, and their environment fallbacks. */
import { InvalidArgumentError } from 'commander';
import { UsageError } from './errors.ts';

const PORT_RANGE = 'a whole number from 0 to 65535 (0 picks a free port)';

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port > 65535) throw new InvalidArgumentError(`port must be ${PORT_RANGE}.`);
  return port;
}

/** `FLOWER_PORT` when the flag is absent; a bad value is a usage error naming the variable. */
export function portFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.FLOWER_PORT;
  if (value === undefined || value === '') return undefined;
  try {
    return parsePort(value);
  } catch {
    throw new UsageError(`FLOWER_PORT="${value}" is not a port: it must be ${PORT_RANGE}`);
  }
}

/** `host:port` needs brackets around an IPv6 host. */
export const formatHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);
