/** Failures the player can fix: printed as one `✗` line, never with a stack. */
export class UsageError extends Error {
  readonly expected = true;
  override name = 'UsageError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Errors marked `expected` (config, listen, usage) or a store that cannot open. */
export function isExpectedError(error: unknown): error is Error & { exitCode?: number } {
  if (!(error instanceof Error)) return false;
  return (error as { expected?: unknown }).expected === true || error.name === 'StoreError';
}
