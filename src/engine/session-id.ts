import type { RandomSource } from './ports.ts';

/** A new session id: 12 lowercase hex digits drawn from `random`, not in use (per `taken`). */
export function newSessionId(random: RandomSource, taken: (id: string) => boolean): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const id = hexDigits(random, 12);
    if (!taken(id)) return id;
  }
  // Only a broken random source gets here; failing loudly beats reusing an id.
  throw new Error('could not draw an unused session id (is the random source constant?)');
}

function hexDigits(random: RandomSource, count: number): string {
  let id = '';
  for (let i = 0; i < count; i++) id += Math.min(15, Math.floor(random.next() * 16)).toString(16);
  return id;
}
